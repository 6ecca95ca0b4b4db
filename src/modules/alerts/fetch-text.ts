import { readFileSync } from 'node:fs';
import { get } from 'node:https';
import { rootCertificates } from 'node:tls';

const MAX_BYTES = 64 * 1024;
const TIMEOUT_MS = 5000;

/**
 * What source plugins may fetch (SNS signing certificates, SubscribeURLs): https only, from hosts
 * matching `hostPattern`, at most 64 KB, no redirects, 5 s. Anything else is refused before a
 * connection is made, so a forged message cannot make the server call an address of its choosing.
 */
export function restrictedFetcher(hostPattern: RegExp, extraCaFile?: string): (url: string) => Promise<string> {
  const ca = extraCaFile ? [...rootCertificates, readFileSync(extraCaFile, 'utf8')] : undefined;
  return (raw: string) => new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      reject(new Error('not a URL'));
      return;
    }
    if (url.protocol !== 'https:') return reject(new Error('only https URLs may be fetched'));
    if (!hostPattern.test(url.hostname)) return reject(new Error(`host ${url.hostname} is not allowed`));
    const req = get(url, { timeout: TIMEOUT_MS, ...(ca ? { ca } : {}) }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`GET ${url.hostname} answered ${res.statusCode}`));
        return;
      }
      let size = 0;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BYTES) {
          req.destroy(new Error('response too large'));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}
