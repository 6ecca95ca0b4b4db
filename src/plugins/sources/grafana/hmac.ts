import { createHmac, timingSafeEqual } from 'node:crypto';
import { type InboundRequest, SourceInputError } from '../../source.js';
import { at } from '../input.js';

/** The header Grafana puts the signature in unless told otherwise. */
export const DEFAULT_SIGNATURE_HEADER = 'X-Grafana-Alerting-Signature';
/** The default in the first Grafana release with HMAC signing (grafana/alerting http/hmac.go), renamed soon after. */
const EARLY_DEFAULT_HEADER = 'X-Grafana-Alert-Signature';
/** How far a signed timestamp may be from our clock, either way. */
export const REPLAY_WINDOW_SECONDS = 300;

/** What the integration is configured to expect. */
export interface HmacSettings {
  hmacSecret: string;
  signatureHeader?: string;
  timestampHeader?: string;
}

function refuse(header: string, problem: string): SourceInputError {
  return new SourceInputError(at('headers', header.toLowerCase()), problem, 401);
}

function header(req: InboundRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Grafana's signature: hex HMAC-SHA256 with the shared secret over the raw body, or over
 * `timestamp + ":" + body` when a timestamp header is configured (Unix seconds, set by Grafana).
 */
export function grafanaSignature(secret: string, rawBody: string, timestamp?: string): string {
  const mac = createHmac('sha256', secret);
  if (timestamp !== undefined) mac.update(`${timestamp}:`, 'utf8');
  return mac.update(rawBody, 'utf8').digest('hex');
}

/** Throws a 401 unless the request carries a valid, fresh Grafana HMAC signature. */
export function verifyGrafanaSignature(req: InboundRequest, settings: HmacSettings): void {
  const candidates = settings.signatureHeader ? [settings.signatureHeader] : [DEFAULT_SIGNATURE_HEADER, EARLY_DEFAULT_HEADER];
  const name = candidates.find((h) => header(req, h) !== undefined) ?? candidates[0]!;
  const given = header(req, name)?.trim().toLowerCase();
  if (!given) throw refuse(name, 'is missing: this integration expects requests signed with its HMAC secret');

  let timestamp: string | undefined;
  if (settings.timestampHeader) {
    timestamp = header(req, settings.timestampHeader)?.trim();
    if (!timestamp) throw refuse(settings.timestampHeader, 'is missing: this integration expects a signed timestamp');
    if (!/^\d{1,12}$/.test(timestamp)) throw refuse(settings.timestampHeader, 'must be Unix seconds');
    const skew = Math.abs(req.receivedAt.getTime() / 1000 - Number(timestamp));
    if (skew > REPLAY_WINDOW_SECONDS) throw refuse(settings.timestampHeader, `is more than ${REPLAY_WINDOW_SECONDS} seconds from the server's clock (replayed, or a clock is wrong)`);
  }

  const expected = Buffer.from(grafanaSignature(settings.hmacSecret, req.rawBody, timestamp), 'hex');
  const actual = /^[0-9a-f]{64}$/.test(given) ? Buffer.from(given, 'hex') : Buffer.alloc(0);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw refuse(name, 'does not match the body signed with this integration\'s HMAC secret');
}
