// A real SMTP server in the test process (smtp-server on 127.0.0.1, a free port): what nodemailer
// sends arrives here as raw messages, with the envelope, so tests read exactly what a mail server got.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message as received. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  /** Header name (lower case) → unfolded value, first occurrence. */
  headers: Record<string, string>;
  /** The body after the header block (may be MIME multipart, quoted-printable…). */
  body: string;
}

export interface TestSmtp {
  url: string;
  mails: ReceivedMail[];
  /** Reply to RCPT TO for addresses matching: e.g. 550 (no such mailbox) or 451 (try later). */
  refuse(pattern: RegExp, code: number): void;
  /** Resolves once `n` messages have arrived (or rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

function parse(raw: string): Pick<ReceivedMail, 'headers' | 'body'> {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).toLowerCase();
    if (colon > 0 && !(name in headers)) headers[name] = line.slice(colon + 1).trim();
  }
  return { headers, body: raw.slice(split + 4) };
}

/** Starts the server; `smtp://127.0.0.1:<port>` in `url`. STARTTLS and AUTH are off: plain loopback. */
export async function startTestSmtp(): Promise<TestSmtp> {
  const mails: ReceivedMail[] = [];
  const refusals: { pattern: RegExp; code: number }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const r = refusals.find((x) => x.pattern.test(address.address));
      if (r) return callback(Object.assign(new Error(r.code >= 500 ? 'No such mailbox' : 'Try again later'), { responseCode: r.code }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address), raw, ...parse(raw),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address()).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    refuse: (pattern, code) => refusals.push({ pattern, code }),
    async waitFor(n, ms = 5000) {
      const until = Date.now() + ms;
      while (mails.length < n) {
        if (Date.now() > until) throw new Error(`expected ${n} mails, got ${mails.length}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return mails;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The text/plain part of a message, decoded from quoted-printable or base64 (enough for nodemailer's output). */
export function textOf(mail: ReceivedMail): string {
  let head: string;
  let body: string;
  if (/multipart/i.test(mail.headers['content-type'] ?? '')) {
    const parts = mail.body.split(/\r\n--[^\r\n]+\r\n/);
    const part = parts.find((p) => /content-type:\s*text\/plain/i.test(p)) ?? '';
    const split = part.indexOf('\r\n\r\n');
    head = part.slice(0, Math.max(split, 0));
    body = part.slice(split + 4);
  } else {
    head = `content-transfer-encoding: ${mail.headers['content-transfer-encoding'] ?? '7bit'}`;
    body = mail.body;
  }
  body = body.replace(/\r\n--[^\r\n]*--\s*$/, '');
  if (/content-transfer-encoding:\s*base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** A header decoded from RFC 2047 encoded words (=?UTF-8?B?…?= / =?UTF-8?Q?…?=). */
export function decodeHeader(value: string): string {
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*(?==\?)?/gi, (_, enc: string, text: string) => enc.toLowerCase() === 'b'
    ? Buffer.from(text, 'base64').toString('utf8')
    : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (__, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'));
}
