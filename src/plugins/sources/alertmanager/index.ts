import { z } from 'zod';
import { defineSource, type SnippetInput } from '../../source.js';
import { finishAlert, link } from '../alert.js';
import { readAmAlert } from '../am-alert.js';
import { at, invalid, needArray, needObject, optString, refuseNul } from '../input.js';

const PATH = '/ingest/alertmanager';

/** `truncatedAlerts`: how many alerts Alertmanager left out because of `max_alerts`. */
function truncated(value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw invalid('truncatedAlerts', 'must be a non-negative integer');
  return value;
}

function alertmanagerYaml(input: SnippetInput): string {
  return [
    'route:',
    '  receiver: hikeshi',
    'receivers:',
    '  - name: hikeshi',
    '    webhook_configs:',
    `      - url: ${JSON.stringify(input.baseUrl + PATH)}`,
    '        send_resolved: true',
    '        # 0 = send every alert of the group; a limit makes Alertmanager drop the rest.',
    '        max_alerts: 0',
    '        http_config:',
    '          authorization:',
    '            type: Bearer',
    `            credentials: ${JSON.stringify(input.key)}`,
    '',
  ].join('\n');
}

/** Alertmanager's webhook receiver (payload version "4"). */
export default defineSource({
  id: 'alertmanager',
  name: { en: 'Prometheus Alertmanager', ja: 'Prometheus Alertmanager' },
  configSchema: z.strictObject({}),
  defaultGroupBy: ['alertname'],
  paths: [PATH],
  contentTypes: ['application/json'],

  async parse(req) {
    refuseNul(req.body);
    const body = needObject(req.body, 'body');
    // Refuse other versions rather than guess: a changed shape would be misread silently.
    if (body.version !== '4') throw invalid('version', 'must be "4" (the Alertmanager webhook payload version)');
    const truncatedAlerts = truncated(body.truncatedAlerts);
    const externalUrl = optString(body.externalURL, 'externalURL', { emptyIsAbsent: true });
    const items = needArray(body.alerts, 'alerts');
    const alerts = items.map((item, i) => {
      const draft = readAmAlert(item, at('alerts', i), { statusFrom: 'field', receivedAt: req.receivedAt, fingerprintField: true });
      draft.links.push(link(externalUrl, 'Alertmanager'));
      return finishAlert(draft);
    });
    return {
      kind: 'alerts',
      alerts,
      // Truncation is the sender's choice (max_alerts); say so in the answer, where it can be logged.
      reply: (stored) => ({ status: 202, body: { status: 'success', accepted: stored.dedupKeys.length, truncatedAlerts } }),
    };
  },

  snippets(input) {
    return [{
      target: 'alertmanager.yml',
      language: 'yaml',
      code: alertmanagerYaml(input),
      hint: {
        en: 'Add the receiver to alertmanager.yml and route to it (or add it to an existing route), then reload Alertmanager.',
        ja: 'alertmanager.yml にこのレシーバーを追加してルートから参照し（既存のルートに追加しても構いません）、Alertmanager をリロードしてください。',
      },
    }];
  },
});
