// The API client against small loopback servers that misbehave on purpose.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient, ApiError } from './client.js';
import { CliError } from './io.js';

let server: Server | null = null;

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(null)));
  server = null;
});

describe('ApiClient', () => {
  it('retries a POST after a 503 from a proxy with the same Idempotency-Key', async () => {
    const keys: (string | undefined)[] = [];
    const url = await serve((req, res) => {
      keys.push(req.headers['idempotency-key'] as string | undefined);
      if (keys.length === 1) {
        res.writeHead(503, { 'content-type': 'text/html' }).end('<h1>upstream restarting</h1>');
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const api = new ApiClient(url, { token: 'hks_x' }, { retryDelaysMs: [10, 10] });
    await expect(api.post('/incidents', { title: 't' }, 'key-1')).resolves.toEqual({ ok: true });
    expect(keys).toEqual(['key-1', 'key-1']);
  });

  it('gives up on a server that does not answer in time: exit 3, naming the URL', async () => {
    const url = await serve(() => { /* never answers */ });
    const api = new ApiClient(url, { token: 'hks_x' }, { timeoutMs: 200 });
    const err = await api.get('/incidents').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(3);
    expect((err as CliError).message).toContain(`cannot reach ${url} (no answer within 200ms to GET /api/v1/incidents)`);
  });

  it('turns a problem document into exit 1 with title, detail and field errors', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/problem+json' }).end(JSON.stringify({
        type: 'x', title: 'Invalid request', status: 400, detail: 'body.title: must not be empty',
        errors: [{ field: 'body.title', message: 'must not be empty' }, { field: 'body.eta', message: 'too long' }],
      }));
    });
    const err = await new ApiClient(url, { token: 'hks_x' }).get('/x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).exitCode).toBe(1);
    expect((err as ApiError).message).toBe('Invalid request: body.title: must not be empty');
    // The title error is already in the detail; only the other one is listed again.
    expect((err as ApiError).details).toEqual(['  - body.eta: too long']);
  });

  it('says so when the address is not a Hikeshi server', async () => {
    const url = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>router login</html>'));
    const err = await new ApiClient(url, { token: 'hks_x' }).get('/me').catch((e: unknown) => e);
    expect((err as CliError).exitCode).toBe(1);
    expect((err as CliError).message).toContain('is this a Hikeshi server?');
  });
});
