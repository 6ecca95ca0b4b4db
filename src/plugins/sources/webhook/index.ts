import { z } from 'zod';
import { defineSource, type SnippetInput } from '../../source.js';
import { at, needArray, refuseNul } from '../input.js';
import { formatPath, getPath, parsePath, setPath } from './json-path.js';
import { mapAlert, type Mapping, mappingSchema } from './mapping.js';

const PATH = '/ingest/webhook';
const MAX_ALERTS = 1000;

const configSchema = z.strictObject({ mapping: mappingSchema });

/** A body the mapping reads: every mapped path filled with an example value. */
function sampleBody(m: Mapping): unknown {
  const alert: Record<string, unknown> = {};
  const put = (source: string | undefined, value: unknown): void => {
    if (source && source.trim() !== '$') setPath(alert, parsePath(source), value);
  };
  put(m.title, 'Disk almost full on db-1');
  put(m.dedupKey, 'db-1/disk');
  put(m.status?.path, m.status?.firing?.[0] ?? 'firing');
  put(m.severity?.path, Object.keys(m.severity?.map ?? {})[0] ?? 'critical');
  put(m.description, '2% free on /var/lib/postgresql');
  for (const [name, source] of Object.entries(m.labels ?? {})) put(source, `example-${name}`);
  put(m.links, 'https://grafana.example.com/d/disk');
  if (!m.alerts || m.alerts.trim() === '$') return m.alerts ? [alert] : alert;
  const body: Record<string, unknown> = {};
  setPath(body, parsePath(m.alerts), [alert]);
  return body;
}

function curl(input: SnippetInput, m: Mapping): string {
  const body = JSON.stringify(sampleBody(m), null, 2).replaceAll("'", "'\\''");
  return `curl -sS -X POST ${input.baseUrl}${PATH} \\\n  -H 'Authorization: Bearer ${input.key}' \\\n  -H 'Content-Type: application/json' \\\n  -d '${body}'\n`;
}

/** Any JSON sender, read through a per-integration mapping of dotted paths. */
export default defineSource({
  id: 'webhook',
  name: { en: 'Generic webhook (JSON)', ja: '汎用 Webhook（JSON）' },
  configSchema,
  // Nothing is known about the sender's labels: one group per integration until groupBy is set.
  defaultGroupBy: [],
  paths: [PATH],
  contentTypes: ['application/json'],

  async parse(req, ctx) {
    refuseNul(req.body);
    const m = ctx.config.mapping;
    let items: unknown[];
    let base: (i: number) => string;
    if (m.alerts) {
      const segs = parsePath(m.alerts);
      items = needArray(getPath(req.body, segs), formatPath(segs), MAX_ALERTS);
      base = (i) => at(segs.length === 0 ? '' : formatPath(segs), i);
    } else if (Array.isArray(req.body)) {
      items = needArray(req.body, 'body', MAX_ALERTS);
      base = (i) => at('', i);
    } else {
      items = [req.body];
      base = () => '';
    }
    return { kind: 'alerts', alerts: items.map((item, i) => mapAlert(item, base(i), m)) };
  },

  snippets(input, config) {
    return [{
      target: 'curl',
      language: 'shell',
      code: curl(input, config.mapping),
      hint: {
        en: 'A request this integration accepts, built from its mapping; have your tool send the same shape.',
        ja: 'このインテグレーションのマッピングから作ったリクエスト例です。送信側ツールから同じ形で送ってください。',
      },
    }];
  },
});
