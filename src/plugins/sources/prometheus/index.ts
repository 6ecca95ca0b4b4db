import { z } from 'zod';
import { defineSource, type SnippetInput } from '../../source.js';
import { parseAmAlert } from '../am-alert.js';
import { at, invalid, refuseNul } from '../input.js';

/** Label names Alertmanager's v2 API accepts (prometheus/common LabelName.IsValid, legacy scheme). */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Far more than Prometheus puts in one POST (it sends in small batches); bounds the work per request. */
const MAX_ALERTS = 1000;
const PREFIX = '/ingest/prometheus';

/** Where prometheus.yml must point: scheme, host:port and path_prefix from the base URL. */
function target(baseUrl: string): { scheme: string; hostPort: string; prefix: string } {
  const url = new URL(baseUrl);
  const scheme = url.protocol === 'http:' ? 'http' : 'https';
  const port = url.port || (scheme === 'https' ? '443' : '80');
  return { scheme, hostPort: `${url.hostname}:${port}`, prefix: url.pathname.replace(/\/+$/, '') + PREFIX };
}

function prometheusYaml(input: SnippetInput): string {
  const t = target(input.baseUrl);
  return [
    'alerting:',
    '  alertmanagers:',
    `    - scheme: ${t.scheme}`,
    '      api_version: v2',
    '      # Prometheus appends /api/v2/alerts to this prefix.',
    `      path_prefix: ${JSON.stringify(t.prefix)}`,
    '      authorization:',
    '        type: Bearer',
    `        credentials: ${JSON.stringify(input.key)}`,
    '      static_configs:',
    `        - targets: [${JSON.stringify(t.hostPort)}]`,
    '',
  ].join('\n');
}

/** Prometheus sending straight to Hikeshi, as if Hikeshi were its Alertmanager (POST /api/v2/alerts). */
export default defineSource({
  id: 'prometheus',
  name: { en: 'Prometheus', ja: 'Prometheus' },
  configSchema: z.strictObject({}),
  defaultGroupBy: ['alertname'],
  paths: [`${PREFIX}/api/v2/alerts`, '/api/v2/alerts'],
  contentTypes: ['application/json'],

  async parse(req) {
    refuseNul(req.body);
    if (!Array.isArray(req.body)) throw invalid('body', 'must be a JSON array of alerts (Alertmanager API v2 PostableAlerts)');
    if (req.body.length > MAX_ALERTS) throw invalid('body', `must have at most ${MAX_ALERTS} alerts (got ${req.body.length})`);
    const alerts = req.body.map((item, i) =>
      parseAmAlert(item, at('', i), { statusFrom: 'endsAt', receivedAt: req.receivedAt, labelNames: LABEL_NAME, checkOrder: true }),
    );
    return { kind: 'alerts', alerts };
  },

  snippets(input) {
    return [{
      target: 'prometheus.yml',
      language: 'yaml',
      code: prometheusYaml(input),
      hint: {
        en: 'Add this under alerting: in prometheus.yml (next to any Alertmanager you keep), then reload Prometheus.',
        ja: 'prometheus.yml の alerting: に追加し（既存の Alertmanager と併用できます）、Prometheus をリロードしてください。',
      },
    }];
  },
});
