// A parse worker of parse-pool.ts: takes ingest request bodies and answers with what parseRequest
// made of them. Plugins that need the server (ctx.fetchText) get the request sent back.
import { parentPort, workerData } from 'node:worker_threads';
import { buildSources } from '../../plugins/registry.js';
import { NeedsServerThread, parseRequest } from './parse.js';
import type { ParseAnswer, ParseJob } from './parse-pool.js';

const port = parentPort!;
const sources = buildSources({ snsCertHostPattern: new RegExp((workerData as { snsCertHostPattern: string }).snsCertHostPattern) });
const fetchText = (): Promise<string> => Promise.reject(new NeedsServerThread());

port.on('message', (job: ParseJob) => {
  parseRequest(sources[job.source], job.request, { config: job.config, integrationId: job.integrationId, fetchText }).then(
    (parsed) => port.postMessage({ id: job.id, parsed } satisfies ParseAnswer),
    (err: unknown) => port.postMessage({ id: job.id, error: String((err as Error)?.stack ?? err) } satisfies ParseAnswer),
  );
});
port.postMessage({ ready: true });
