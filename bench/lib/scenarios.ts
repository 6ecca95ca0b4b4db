import autocannon from 'autocannon';
import type { Fixture } from './api-client.js';

/** One kind of traffic the bench sends at a prepared incident. */
export interface Scenario {
  /** Used on the command line (--scenario). */
  id: 'writes' | 'reads';
  /** As shown in the table. */
  title: string;
  /** Fill the incident before the load (WAR_ROOM_SEED), so reads see a war room that has been in use. */
  seeded: boolean;
  request(fixture: Fixture): autocannon.Request;
}

/** The scenarios, in the order they run. */
export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'writes',
    title: 'timeline writes',
    seeded: false,
    request(fixture) {
      let n = 0;
      return {
        method: 'POST',
        path: `/api/v1/incidents/${encodeURIComponent(fixture.incidentId)}/timeline`,
        headers: { authorization: fixture.bearer, 'content-type': 'application/json' },
        // A distinct body per request, like people typing notes.
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ body: `note ${++n}` }) }),
      };
    },
  },
  {
    id: 'reads',
    title: 'war room reads',
    seeded: true,
    request(fixture) {
      return {
        method: 'GET',
        path: `/api/v1/incidents/${encodeURIComponent(fixture.incidentId)}`,
        headers: { authorization: fixture.bearer },
      };
    },
  },
];

/** What one load run measured. */
export interface LoadResult {
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  /** Socket errors, timeouts included. */
  socketErrors: number;
  timeouts: number;
  /** e.g. { "201": 41234 } */
  statusCodes: Record<string, number>;
}

/** Drives the server with autocannon for `durationS` seconds over `connections` connections. */
export async function runLoad(fixture: Fixture, scenario: Scenario, connections: number, durationS: number): Promise<LoadResult> {
  const result = await autocannon({
    url: fixture.baseUrl,
    connections,
    duration: durationS,
    timeout: 10,
    requests: [scenario.request(fixture)],
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count ?? 0;
  return {
    requests: result.requests.total,
    reqPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    socketErrors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
  };
}
