import { CliError, EXIT, usageError } from './io.js';

/** The problem+json document the API answers errors with. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}

/** The server answered with an error status. */
export class ApiError extends CliError {
  constructor(readonly problem: Problem, hints: string[] = []) {
    // The server often spells the field errors out in `detail` too; print each fact once.
    const lines = (problem.errors ?? [])
      .filter((e) => !problem.detail?.includes(`${e.field}: ${e.message}`))
      .map((e) => `  - ${e.field}: ${e.message}`);
    super(EXIT.refused, problem.detail ? `${problem.title}: ${problem.detail}` : problem.title, [...lines, ...hints]);
    this.name = 'ApiError';
  }
}

/** How to authenticate: an API token (normal use) or a session cookie with its CSRF token (login only). */
export type Auth = { token: string } | { cookie: string; csrfToken?: string } | null;

/** Per-request extras: body, query string, and the Idempotency-Key of a POST. */
export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | undefined>;
  /** Sent as Idempotency-Key on POST; retries of this request reuse it. */
  idempotencyKey?: string;
}

/** A response the caller may need more of than the body (login reads Set-Cookie). */
export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

const RETRY_DELAYS_MS = [250, 1000];
const TRANSIENT_STATUS = new Set([502, 503, 504]);
// Failures where the request most likely never reached the handler, or its answer was lost in
// transit. A timeout is not among them: the server may still be working, and waiting twice as
// long helps nobody at 2 a.m.
const TRANSIENT_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A server's base URL as people type it: `http://host:8080`, with or without a trailing slash or
 * `/api/v1`. Refuses anything that is not http(s).
 */
export function normalizeServer(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw usageError(`--server: "${raw}" is not a URL`, ['Give the address you open in a browser, e.g. http://localhost:8080']);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw usageError(`--server: "${raw}" must start with http:// or https://`);
  }
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '').replace(/\/api\/v1$/, '');
}

function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    if ((e as Error).name === 'TimeoutError') return 'ETIMEDOUT';
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

const CODE_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'no answer in time',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
};

/** The error for a server that does not answer: exit 3, naming the URL. */
export function unreachable(server: string, why: string): CliError {
  return new CliError(EXIT.unreachable, `cannot reach ${server} (${why})`, [
    'Is the server running, and is the URL right?',
    'To use another server: hikeshi login --server URL (or set HIKESHI_URL).',
  ]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A thin client for /api/v1 that turns every failure into a CliError with the right exit code. */
export class ApiClient {
  readonly server: string;

  constructor(
    server: string,
    private readonly auth: Auth,
    private readonly options: { timeoutMs?: number; retryDelaysMs?: number[] } = {},
  ) {
    this.server = normalizeServer(server);
  }

  get<T>(path: string, query?: RequestOptions['query']): Promise<T> {
    return this.request<T>('GET', path, { query }).then((r) => r.body);
  }

  post<T>(path: string, body: unknown, idempotencyKey: string): Promise<T> {
    return this.request<T>('POST', path, { body, idempotencyKey }).then((r) => r.body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, { body }).then((r) => r.body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path).then((r) => r.body);
  }

  /**
   * One API call. Transient failures (connection reset, 502/503/504) are retried with the same
   * Idempotency-Key, so a retried POST is answered from the server's record instead of running twice.
   */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const url = new URL(this.server + '/api/v1' + path);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey && method === 'POST') headers['idempotency-key'] = options.idempotencyKey;
    if (this.auth && 'token' in this.auth) headers.authorization = `Bearer ${this.auth.token}`;
    if (this.auth && 'cookie' in this.auth) {
      headers.cookie = this.auth.cookie;
      if (this.auth.csrfToken) headers['x-csrf-token'] = this.auth.csrfToken;
    }
    const delays = this.options.retryDelaysMs ?? RETRY_DELAYS_MS;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers,
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
          redirect: 'manual',
        });
      } catch (err) {
        const code = errorCode(err);
        if (code && TRANSIENT_CODES.has(code) && attempt < delays.length) {
          await sleep(delays[attempt] ?? 1000);
          continue;
        }
        if (code === 'ETIMEDOUT') {
          const ms = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
          throw unreachable(this.server, `no answer within ${ms < 1000 ? `${ms}ms` : `${Math.round(ms / 1000)}s`} to ${method} ${url.pathname}`);
        }
        throw unreachable(this.server, (code && CODE_WORDS[code]) ?? code ?? (err as Error).message);
      }
      if (TRANSIENT_STATUS.has(res.status) && attempt < delays.length) {
        await res.body?.cancel();
        await sleep(delays[attempt] ?? 1000);
        continue;
      }
      return this.answer<T>(res);
    }
  }

  private async answer<T>(res: Response): Promise<ApiResponse<T>> {
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    let body: unknown = null;
    if (text && /json/.test(type)) {
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
    }
    if (res.status >= 200 && res.status < 300) {
      if (text && body === null) throw new CliError(EXIT.refused, `${this.server} answered ${res.status} without JSON; is this a Hikeshi server?`);
      return { status: res.status, body: body as T, headers: res.headers };
    }
    if (res.status >= 300 && res.status < 400) {
      const to = res.headers.get('location');
      throw new CliError(EXIT.refused, `${this.server} redirects${to ? ` to ${to}` : ''}`, ['Log in with the address the server is really at (https?).']);
    }
    const problem = body as Partial<Problem> | null;
    if (!problem || typeof problem.title !== 'string') {
      if (TRANSIENT_STATUS.has(res.status)) throw unreachable(this.server, `HTTP ${res.status} from a proxy in between`);
      throw new ApiError({ title: `HTTP ${res.status} ${res.statusText}`.trim(), status: res.status, detail: text.slice(0, 200) || undefined });
    }
    const hints: string[] = [];
    if (res.status === 401 && this.auth && 'token' in this.auth) {
      hints.push('The API token was refused (revoked or expired?). Run `hikeshi login` again.');
    }
    throw new ApiError({ title: problem.title, status: problem.status ?? res.status, detail: problem.detail, errors: problem.errors }, hints);
  }
}
