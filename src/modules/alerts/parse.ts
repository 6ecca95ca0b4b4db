// One ingest request's body, from text to what the inbox stores: JSON.parse, the source plugin's
// parse, the reply the sender gets, and the alerts serialised for the inbox. The same function runs
// on the server's thread and in the parse workers (parse-pool.ts); its result is plain data that
// crosses threads as it is.
import { type SourceContext, type SourcePlugin, SourceInputError } from '../../plugins/source.js';

/** The most alerts one request may carry (Prometheus sends up to 64; Alertmanager all of a group). */
export const MAX_ALERTS_PER_REQUEST = 5000;

/** What a request body became. */
export type ParsedRequest =
  | {
    kind: 'alerts';
    /** The normalised alerts as the inbox stores them (JSON). */
    alertsJson: string;
    count: number;
    messageId?: string;
    /** The 2xx the sender gets once the alerts are stored. */
    answer: { status: number; body: unknown };
  }
  | { kind: 'reply'; status: number; body: unknown; note?: string }
  /** A 400 (or 401 for a signature) naming the field; `title` and `detail` as the problem document says them. */
  | { kind: 'invalid'; status: 400 | 401; title: string; detail: string; field: string; problem: string; extra?: Record<string, unknown> }
  /** The plugin needs the server itself (ctx.fetchText): parse again on the server's thread. */
  | { kind: 'server-thread' };

/** What parseRequest needs of the request; `body` when the server has parsed the JSON already. */
export interface RawRequest {
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  body?: unknown;
  receivedAt: Date;
}

/** Thrown by the fetchText a parse worker gives plugins: the request goes back to the server's thread. */
export class NeedsServerThread extends Error {
  constructor() {
    super('this request needs the server thread');
  }
}

/** A request the sender got wrong, as parseRequest reports it. */
export type InvalidRequest = Extract<ParsedRequest, { kind: 'invalid' }>;

function invalid(field: string, problem: string, status: 400 | 401 = 400, extra?: Record<string, unknown>): InvalidRequest {
  return { kind: 'invalid', status, title: 'Invalid request', detail: `${field}: ${problem}`, field, problem, extra };
}

/** A body as JSON, or why it is not: empty, or not valid JSON. */
export function readJson(rawBody: string): { value: unknown } | InvalidRequest {
  if (rawBody.trim() === '') return { ...invalid('body', 'empty'), detail: 'body: empty; send the JSON payload' };
  try {
    return { value: JSON.parse(rawBody) };
  } catch (err) {
    return { kind: 'invalid', status: 400, title: 'Malformed JSON', detail: `The body is not valid JSON: ${(err as Error).message}`, field: 'body', problem: 'not valid JSON' };
  }
}

/** Parses one request with `plugin`. Never throws for the sender's mistakes; other errors propagate. */
export async function parseRequest(plugin: SourcePlugin<unknown>, req: RawRequest, ctx: SourceContext<unknown>): Promise<ParsedRequest> {
  let body = req.body;
  if (body === undefined) {
    const json = readJson(req.rawBody);
    if ('kind' in json) return json;
    body = json.value;
  }
  let outcome;
  try {
    outcome = await plugin.parse({ headers: req.headers, body, rawBody: req.rawBody, receivedAt: req.receivedAt }, ctx);
  } catch (err) {
    if (err instanceof NeedsServerThread) return { kind: 'server-thread' };
    if (!(err instanceof SourceInputError)) throw err;
    return invalid(err.field, err.problem, err.status, err.extra);
  }
  if (outcome.kind === 'reply') return outcome;
  const { alerts } = outcome;
  if (alerts.length > MAX_ALERTS_PER_REQUEST) return invalid('body', `at most ${MAX_ALERTS_PER_REQUEST} alerts per request`);
  const answer = outcome.reply?.({ dedupKeys: alerts.map((a) => a.dedupKey) }) ?? { status: 202, body: { status: 'success', accepted: alerts.length } };
  return { kind: 'alerts', alertsJson: JSON.stringify(alerts), count: alerts.length, messageId: outcome.messageId, answer };
}
