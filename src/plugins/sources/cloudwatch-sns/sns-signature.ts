import { createVerify, X509Certificate } from 'node:crypto';
import { type SourceContext, SourceInputError } from '../../source.js';
import { type Json, own } from '../input.js';

/** Hosts SNS signing certificates and SubscribeURLs come from, unless the server says otherwise. */
export const DEFAULT_CERT_HOST_PATTERN = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

/** The SNS message types and, in order, the fields each one's signature covers. */
export const SIGNED_FIELDS = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
} as const;

/** One of the three message types SNS posts to HTTP(S) endpoints. */
export type SnsType = keyof typeof SIGNED_FIELDS;

const ALGORITHMS: Record<string, string> = { '1': 'RSA-SHA1', '2': 'RSA-SHA256' };
const MAX_CACHED = 32;

function refuse(field: string, problem: string): SourceInputError {
  return new SourceInputError(field, problem, 401);
}

/** The documented string to sign: `Name\nValue\n` per field in order; Subject only when the message has one. */
export function stringToSign(message: Json, type: SnsType): string {
  return SIGNED_FIELDS[type]
    .filter((name) => typeof message[name] === 'string')
    .map((name) => `${name}\n${message[name] as string}\n`)
    .join('');
}

/** Throws a 401 naming `field` unless `value` is an https URL on an allowed host (and, with `pem`, a .pem path). */
export function checkAwsUrl(value: string, field: string, hostPattern: RegExp, pem: boolean): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw refuse(field, 'is not a URL');
  }
  if (url.protocol !== 'https:') throw refuse(field, 'must be an https URL');
  if (!hostPattern.test(url.hostname)) throw refuse(field, `host ${url.hostname} is not an allowed Amazon SNS host`);
  if (pem && !url.pathname.endsWith('.pem')) throw refuse(field, 'must point at a .pem certificate');
  return url.href;
}

/** Signing certificates by URL: SNS reuses a handful, so each is fetched once per process. */
export class CertificateCache {
  private readonly certs = new Map<string, X509Certificate>();

  async get(url: string, fetchText: SourceContext<unknown>['fetchText']): Promise<X509Certificate> {
    const hit = this.certs.get(url);
    if (hit) return hit;
    // A failed fetch is not the sender's fault: it propagates (a 5xx), and SNS retries later.
    const pem = await fetchText(url);
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch {
      throw refuse('SigningCertURL', 'did not return a PEM certificate');
    }
    if (this.certs.size >= MAX_CACHED) this.certs.delete(this.certs.keys().next().value!);
    this.certs.set(url, cert);
    return cert;
  }
}

/** What verification needs besides the message. */
export interface VerifyOptions {
  hostPattern: RegExp;
  fetchText: SourceContext<unknown>['fetchText'];
  cache: CertificateCache;
}

/** Throws a 401 unless `message` carries a valid SNS signature (SignatureVersion 1 or 2) from an allowed host. */
export async function verifySnsSignature(message: Json, type: SnsType, opts: VerifyOptions): Promise<void> {
  const algorithm = own(ALGORITHMS, String(message.SignatureVersion));
  if (!algorithm) throw refuse('SignatureVersion', 'must be "1" or "2"');
  if (typeof message.Signature !== 'string' || message.Signature === '') throw refuse('Signature', 'is missing');
  if (typeof message.SigningCertURL !== 'string') throw refuse('SigningCertURL', 'is missing');
  const certUrl = checkAwsUrl(message.SigningCertURL, 'SigningCertURL', opts.hostPattern, true);
  const cert = await opts.cache.get(certUrl, opts.fetchText);
  // Validity is judged by the wall clock, like any TLS certificate.
  const now = Date.now();
  if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) throw refuse('SigningCertURL', 'certificate is not valid at this time');
  let ok = false;
  try {
    ok = createVerify(algorithm).update(stringToSign(message, type), 'utf8').verify(cert.publicKey, message.Signature, 'base64');
  } catch {
    ok = false;
  }
  if (!ok) throw refuse('Signature', 'does not verify against the signing certificate');
}
