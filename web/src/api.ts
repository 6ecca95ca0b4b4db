// The one way the UI talks to the server: JSON over fetch with the session cookie and CSRF header.
import type { Problem } from './types.js';

let csrfToken = '';
let language = 'en';
let onUnauthorized: () => void = () => {};

/** Remembers the CSRF token every non-GET request must echo. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** The language the server should answer problems in (the signed-in user's, or the guest's choice). */
export function setLanguage(locale: string): void {
  language = locale;
}

/** Called when the server answers 401 (the session expired): the app shows the sign-in page. */
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

/** A problem+json answer, kept whole so forms can show field errors beside the fields. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
  }

  /** The message for one field ("purpose" matches "body.purpose"). */
  field(name: string): string | undefined {
    return this.problem.errors?.find((e) => e.field === name || e.field.endsWith(`.${name}`))?.message;
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Calls /api/v1{path}; throws ApiError on a non-2xx answer. */
export async function api<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', 'Accept-Language': language };
  let payload: string | undefined;
  if (method !== 'GET' && method !== 'DELETE') {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body ?? {});
  }
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    const ja = language === 'ja';
    throw new ApiError({ type: 'about:blank', title: ja ? '通信エラー' : 'Network error', status: 0, detail: ja ? 'サーバーに接続できません' : 'The server cannot be reached' });
  }
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const problem = (data as Problem | undefined) ?? { type: 'about:blank', title: res.statusText, status: res.status };
    if (res.status === 401 && !path.startsWith('/session') && !path.startsWith('/setup')) onUnauthorized();
    throw new ApiError(problem);
  }
  return data as T;
}

/** Query string from defined values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
