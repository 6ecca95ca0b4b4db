// bench:paging's webhook receiver: the person being paged, on loopback in the harness process.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/** One alert: when it was due to be sent, when its 2xx arrived, when its page's webhook arrived (performance.now(), ms). */
export interface Sent {
  name: string;
  dueAt: number;
  acceptedAt: number | null;
  notifiedAt: number | null;
}

/** The webhook receiver: records when each alert's first `page.triggered` arrived, by the page's title (= the alertname). */
export class Receiver {
  private readonly expected = new Map<string, Sent>();
  /** Webhooks for a title nobody sent, or of another type. */
  unexpected = 0;
  /** Second and later webhooks for the same alert. */
  repeats = 0;

  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(): Promise<Receiver> {
    let self: Receiver | null = null;
    const server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const at = performance.now();
        res.writeHead(200).end();
        self?.record(Buffer.concat(chunks).toString('utf8'), at);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    self = new Receiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
    return self;
  }

  /** Registers an alert before it is sent, so that its notification can never arrive unannounced. */
  expect(s: Sent): void {
    this.expected.set(s.name, s);
  }

  private record(body: string, at: number): void {
    let json: { type?: unknown; page?: { title?: unknown } };
    try {
      json = JSON.parse(body) as typeof json;
    } catch {
      this.unexpected++;
      return;
    }
    const s = json.type === 'page.triggered' && typeof json.page?.title === 'string' ? this.expected.get(json.page.title) : undefined;
    if (!s) this.unexpected++;
    else if (s.notifiedAt !== null) this.repeats++;
    else s.notifiedAt = at;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}
