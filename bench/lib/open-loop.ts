// bench:paging's load: one new Prometheus alert per request, sent open-loop at a fixed rate.
import { request, type Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Receiver, Sent } from './webhook-receiver.js';

/** Requests in flight at most: past it, sends wait (and count against the rate) instead of piling up sockets. */
export const MAX_IN_FLIGHT = 256;
/** An ingest request slower than this counts as a socket error. */
export const REQUEST_TIMEOUT_MS = 30_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One POST of one alert; resolves with the status and when the answer's head arrived. */
function postAlert(agent: Agent, url: URL, key: string, name: string): Promise<{ status: number; at: number }> {
  const body = JSON.stringify([{
    labels: { alertname: name, severity: 'critical', job: 'bench' },
    // The summary becomes the group's title and the page's title: how the receiver maps a webhook back to its alert.
    annotations: { summary: name },
    startsAt: new Date().toISOString(),
  }]);
  return new Promise((resolve, reject) => {
    const req = request(url, {
      agent, method: 'POST', timeout: REQUEST_TIMEOUT_MS,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${key}` },
    }, (res) => {
      const at = performance.now();
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, at }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

/** What one burst of sending did. */
export interface Load {
  planned: number;
  sent: Sent[];
  statuses: Record<string, number>;
  socketErrors: number;
}

/**
 * Sends `rate` new alerts per second for `seconds`, open-loop: each is due at a fixed time and sent
 * then, whatever the earlier ones are doing (up to MAX_IN_FLIGHT; past it, sends wait). Alerts not
 * sent by the end of the time are not sent. Resolves when every request sent has its answer.
 */
export async function drive(agent: Agent, url: URL, key: string, receiver: Receiver, rate: number, seconds: number, prefix: string): Promise<Load> {
  const planned = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const load: Load = { planned, sent: [], statuses: {}, socketErrors: 0 };
  const inFlight = new Set<Promise<void>>();
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  let next = 0;
  while (next < planned && performance.now() < end) {
    while (next < planned && t0 + next * interval <= performance.now() && inFlight.size < MAX_IN_FLIGHT) {
      const s: Sent = { name: `${prefix}${String(next + 1).padStart(6, '0')}`, dueAt: t0 + next * interval, acceptedAt: null, notifiedAt: null };
      load.sent.push(s);
      receiver.expect(s);
      const p: Promise<void> = postAlert(agent, url, key, s.name).then(
        ({ status, at }) => {
          load.statuses[status] = (load.statuses[status] ?? 0) + 1;
          if (status >= 200 && status < 300) s.acceptedAt = at;
        },
        () => {
          load.socketErrors++;
        },
      ).finally(() => inFlight.delete(p));
      inFlight.add(p);
      next++;
    }
    await sleep(Math.max(1, Math.min(50, t0 + next * interval - performance.now())));
  }
  await Promise.all(inFlight);
  return load;
}
