import { hostname } from 'node:os';
import type { Command } from 'commander';
import type { Token, TokenCreatedSchema, User } from '../../modules/accounts/accounts.schema.js';
import { ApiClient, ApiError, normalizeServer } from '../client.js';
import { credentialsPath, readCredentials, removeCredentials, writeCredentials } from '../credentials.js';
import { CliError, EXIT, println, readAll, readPassword, usageError } from '../io.js';
import type { z } from 'zod';
import type { CommandContext } from './common.js';

type TokenCreated = z.infer<typeof TokenCreatedSchema>;

interface LoginOptions {
  server?: string;
  token?: string;
  email?: string;
  passwordStdin?: boolean;
}

const SESSION_COOKIE = 'hikeshi_session';

/** The session cookie from a sign-in response, as a Cookie header value. */
function sessionCookie(headers: Headers): string | null {
  for (const line of headers.getSetCookie()) {
    const [pair] = line.split(';');
    if (pair?.startsWith(SESSION_COOKIE + '=')) return pair;
  }
  return null;
}

/**
 * Signs in with e-mail and password and mints an API token for this machine. The browser-style
 * session is only a means to that end, so it is signed out again at once.
 */
async function tokenFromPassword(ctx: CommandContext, server: string, email: string, passwordStdin: boolean): Promise<TokenCreated> {
  const { io } = ctx;
  const password = await readPassword(io, `Password for ${email} on ${server}: `, passwordStdin);
  if (!password) throw usageError('no password given', ['Pipe it in with --password-stdin, or run in a terminal to be asked.']);
  // No Idempotency-Key on these two POSTs: a replayed answer would carry no Set-Cookie and no
  // token secret, and the server would have to keep the CSRF token in its idempotency records.
  // Repeating them is harmless anyway (one more session, one unused token).
  const anonymous = new ApiClient(server, null);
  const signIn = await anonymous.request<{ user: User; csrfToken: string }>('POST', '/session', { body: { email, password } });
  const cookie = sessionCookie(signIn.headers);
  if (!cookie) throw new CliError(EXIT.refused, `${server} signed you in but set no session cookie; is this a Hikeshi server?`);
  const session = new ApiClient(server, { cookie, csrfToken: signIn.body.csrfToken });
  try {
    const created = await session.request<TokenCreated>('POST', '/tokens', { body: { name: `hikeshi CLI on ${hostname()}` } });
    if (!created.body?.token) throw new CliError(EXIT.refused, `${server} made a token but did not return its secret; run hikeshi login again`);
    return created.body;
  } finally {
    await session.delete('/session').catch(() => undefined);
  }
}

/** Plain http to anything but this machine. */
function cleartextToRemote(server: string): boolean {
  const { protocol, hostname: host } = new URL(server);
  return protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]', '::1'].includes(host) && !host.startsWith('127.');
}

/** `hikeshi login` and `hikeshi logout`. */
export function registerLogin(program: Command, ctx: CommandContext): void {
  program
    .command('login')
    .description('store a server address and an API token for the other commands')
    .option('--server <url>', 'the server, e.g. https://hikeshi.example.com (default: $HIKESHI_URL)')
    .option('--token <token>', 'an API token (hks_…) made in the web UI; "-" reads it from stdin (keeps it out of ps)')
    .option('--email <email>', 'sign in with your e-mail and password; a token is made for this machine')
    .option('--password-stdin', 'read the password from stdin (otherwise you are asked on a terminal)')
    .action(async (opts: LoginOptions) => {
      const { io } = ctx;
      const rawServer = opts.server ?? io.env.HIKESHI_URL;
      if (!rawServer) throw usageError('--server is required (or set HIKESHI_URL)', ['e.g. hikeshi login --server http://localhost:8080 --email you@example.com']);
      if (!opts.token === !opts.email) throw usageError('give either --token or --email');
      if (opts.token && opts.passwordStdin) throw usageError('--password-stdin goes with --email, not --token');
      const server = normalizeServer(rawServer);
      if (cleartextToRemote(server)) {
        println(io.stderr, `warning: ${server} is plain http: your password and token cross the network unencrypted. Use https.`);
      }

      let token: string;
      let tokenId: string | undefined;
      if (opts.email) {
        const created = await tokenFromPassword(ctx, server, opts.email.trim(), Boolean(opts.passwordStdin));
        token = created.token;
        tokenId = created.id;
      } else {
        token = (opts.token === '-' ? (await readAll(io.stdin)).split(/\r?\n/)[0] ?? '' : opts.token ?? '').trim();
        if (!token) throw usageError('--token: no token given');
      }
      // Verify before storing: a typo in the URL or token should fail here, not on the next command.
      const me = await new ApiClient(server, { token }).get<User>('/me');
      const file = writeCredentials(io.env, { server, token, tokenId, email: me.email });
      println(io.stdout, `Logged in to ${server} as ${me.name} <${me.email}> (${me.role}).`);
      println(io.stdout, `Credentials saved to ${file} (readable by you only).`);
      if (io.env.HIKESHI_URL || io.env.HIKESHI_TOKEN) {
        println(io.stderr, 'note: HIKESHI_URL / HIKESHI_TOKEN are set in your environment and win over the saved login.');
      }
    });

  program
    .command('logout')
    .description('revoke the stored API token on the server and forget it')
    .action(async () => {
      const { io } = ctx;
      const stored = readCredentials(io.env);
      if (!stored) {
        println(io.stdout, `Not logged in (no ${credentialsPath(io.env)}).`);
        return;
      }
      const api = new ApiClient(stored.server, { token: stored.token });
      let revokeError: CliError | null = null;
      try {
        let id = stored.tokenId;
        if (!id) {
          const { tokens } = await api.get<{ tokens: Token[] }>('/tokens');
          id = tokens.find((t) => !t.revokedAt && t.prefix === stored.token.slice(0, t.prefix.length))?.id;
        }
        if (id) await api.delete(`/tokens/${encodeURIComponent(id)}`);
      } catch (err) {
        if (!(err instanceof CliError)) throw err;
        // 401: the token is already dead, which is what logout wants.
        if (!(err instanceof ApiError && err.problem.status === 401)) revokeError = err;
      }
      removeCredentials(io.env);
      if (revokeError) {
        println(io.stderr, `warning: the token could not be revoked on ${stored.server}: ${revokeError.message}`);
        println(io.stderr, 'Revoke it in the web UI (Profile → API tokens). The local copy is deleted.');
        ctx.exit(revokeError.exitCode);
        return;
      }
      println(io.stdout, `Logged out of ${stored.server}; the token is revoked and the local copy deleted.`);
    });
}
