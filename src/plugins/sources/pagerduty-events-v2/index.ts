import { z } from 'zod';
import { defineSource, type SnippetInput, SourceInputError } from '../../source.js';
import { isObject, refuseNul } from '../input.js';
import { pagerDutyError, parseEvent } from './event.js';

const PATH = '/ingest/pagerduty-events-v2/v2/enqueue';

function curl(input: SnippetInput): string {
  const event = {
    routing_key: input.key,
    event_action: 'trigger',
    dedup_key: 'db-1/disk-full',
    payload: { summary: 'Disk almost full on db-1', source: 'db-1', severity: 'critical', component: 'postgres', custom_details: { free: '2%' } },
  };
  return `curl -sS -X POST ${input.baseUrl}${PATH} \\\n  -H 'Content-Type: application/json' \\\n  -d '${JSON.stringify(event, null, 2).replaceAll("'", "'\\''")}'\n`;
}

function alertmanagerYaml(input: SnippetInput): string {
  return [
    'receivers:',
    '  - name: hikeshi',
    '    pagerduty_configs:',
    `      - url: ${JSON.stringify(input.baseUrl + PATH)}`,
    `        routing_key: ${JSON.stringify(input.key)}`,
    '        send_resolved: true',
    '',
  ].join('\n');
}

/** PagerDuty's Events API v2 (POST /v2/enqueue), for tools that already speak it. */
export default defineSource({
  id: 'pagerduty-events-v2',
  name: { en: 'PagerDuty Events API v2', ja: 'PagerDuty Events API v2' },
  configSchema: z.strictObject({}),
  defaultGroupBy: ['source'],
  paths: [PATH, '/v2/enqueue'],
  contentTypes: ['application/json'],

  keyFromBody(body) {
    return isObject(body) && typeof body.routing_key === 'string' ? body.routing_key : undefined;
  },

  async parse(req) {
    try {
      refuseNul(req.body);
    } catch (e) {
      // Every 400 of this source has PagerDuty's shape, which its senders log.
      if (e instanceof SourceInputError) throw pagerDutyError([{ field: e.field, problem: e.problem }]);
      throw e;
    }
    const alert = parseEvent(req.body);
    return {
      kind: 'alerts',
      alerts: [alert],
      reply: () => ({ status: 202, body: { status: 'success', message: 'Event processed', dedup_key: alert.dedupKey } }),
    };
  },

  snippets(input) {
    return [
      {
        target: 'curl',
        language: 'shell',
        code: curl(input),
        hint: {
          en: 'Any tool that sends PagerDuty Events API v2 can use this URL instead of https://events.pagerduty.com/v2/enqueue; the integration key is the routing_key.',
          ja: 'PagerDuty Events API v2 を送れるツールなら、https://events.pagerduty.com/v2/enqueue の代わりにこの URL を使えます。インテグレーションキーを routing_key に入れてください。',
        },
      },
      {
        target: 'alertmanager.yml',
        language: 'yaml',
        code: alertmanagerYaml(input),
        hint: {
          en: "Alertmanager's PagerDuty receiver, pointed here with url:.",
          ja: 'Alertmanager の PagerDuty レシーバーを url: でこちらに向けます。',
        },
      },
    ];
  },
});
