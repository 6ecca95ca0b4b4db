import { z } from 'zod';
import { defineSource, type SnippetInput } from '../../source.js';
import { clip, finishAlert, LIMITS } from '../alert.js';
import { readAmAlert } from '../am-alert.js';
import { at, invalid, isObject, needArray, needObject, optString, refuseNul } from '../input.js';
import { DEFAULT_SIGNATURE_HEADER, verifyGrafanaSignature } from './hmac.js';

const PATH = '/ingest/grafana';
const HEADER_NAME = /^[A-Za-z0-9-]{1,100}$/;
/** The alert's URL fields Grafana adds to Alertmanager's, shown as links ("" when Grafana has none). */
const URL_FIELDS: [string, string][] = [['dashboardURL', 'Dashboard'], ['panelURL', 'Panel'], ['silenceURL', 'Silence'], ['imageURL', 'Image']];

const configSchema = z
  .strictObject({
    hmacSecret: z.string().min(1).max(1000).optional().describe("The contact point's HMAC secret; when set, unsigned or wrongly signed requests are refused"),
    signatureHeader: z.string().regex(HEADER_NAME, 'must be an HTTP header name').optional().describe(`Header with the signature (default ${DEFAULT_SIGNATURE_HEADER})`),
    timestampHeader: z.string().regex(HEADER_NAME, 'must be an HTTP header name').optional().describe("The contact point's Timestamp header; when set, requests older than 5 minutes are refused"),
  })
  .refine((c) => c.hmacSecret !== undefined || (c.signatureHeader === undefined && c.timestampHeader === undefined), {
    message: 'signatureHeader and timestampHeader need hmacSecret',
    path: ['hmacSecret'],
  });

/** Grafana's `values` (refId → number) and `valueString`, kept as annotations for people to read. */
function valueAnnotations(item: Record<string, unknown>, path: string, annotations: Record<string, string>): void {
  const valueString = optString(item.valueString, at(path, 'valueString'), { emptyIsAbsent: true });
  const extra: [string, string | undefined][] = [
    ['valueString', valueString],
    ['values', isObject(item.values) && Object.keys(item.values).length > 0 ? JSON.stringify(item.values) : undefined],
  ];
  for (const [name, value] of extra) {
    if (value === undefined || name in annotations || Object.keys(annotations).length >= LIMITS.annotations) continue;
    annotations[name] = clip(value, LIMITS.annotationValue);
  }
}

function contactPointYaml(input: SnippetInput, config: z.output<typeof configSchema>): string {
  const lines = [
    'apiVersion: 1',
    'contactPoints:',
    '  - orgId: 1',
    '    name: Hikeshi',
    '    receivers:',
    '      - uid: hikeshi',
    '        type: webhook',
    '        settings:',
    `          url: ${JSON.stringify(input.baseUrl + PATH)}`,
    '          httpMethod: POST',
    '          authorization_scheme: Bearer',
    `          authorization_credentials: ${JSON.stringify(input.key)}`,
  ];
  if (config.hmacSecret !== undefined) {
    lines.push(
      '          hmacConfig:',
      '            secret: "<the HMAC secret set on this integration>"',
      `            header: ${config.signatureHeader ?? DEFAULT_SIGNATURE_HEADER}`,
      ...(config.timestampHeader ? [`            timestampHeader: ${config.timestampHeader}`] : []),
    );
  }
  return lines.join('\n') + '\n';
}

/** Grafana Alerting's webhook contact point (payload version "1"), with its optional HMAC signature. */
export default defineSource({
  id: 'grafana',
  name: { en: 'Grafana Alerting', ja: 'Grafana アラート' },
  configSchema,
  defaultGroupBy: ['alertname', 'grafana_folder'],
  paths: [PATH],
  contentTypes: ['application/json'],

  async parse(req, ctx) {
    // The signature covers the exact bytes, so it is checked before anything is read.
    if (ctx.config.hmacSecret !== undefined) verifyGrafanaSignature(req, { ...ctx.config, hmacSecret: ctx.config.hmacSecret });
    refuseNul(req.body);
    const body = needObject(req.body, 'body');
    if (!Array.isArray(body.alerts) && 'evalMatches' in body) {
      throw invalid('alerts', 'is missing: this looks like a legacy (pre-8) Grafana alert notification; use Grafana Alerting (unified alerting)');
    }
    if (body.version !== undefined && body.version !== '1') throw invalid('version', 'must be "1" (the Grafana webhook payload version)');
    const truncatedAlerts = body.truncatedAlerts ?? 0;
    if (typeof truncatedAlerts !== 'number' || !Number.isInteger(truncatedAlerts) || truncatedAlerts < 0) throw invalid('truncatedAlerts', 'must be a non-negative integer');
    const alerts = needArray(body.alerts, 'alerts').map((item, i) => {
      const path = at('alerts', i);
      const draft = readAmAlert(item, path, { statusFrom: 'field', receivedAt: req.receivedAt, fingerprintField: true, generatorText: 'Alert rule', urlFields: URL_FIELDS });
      valueAnnotations(item as Record<string, unknown>, path, draft.annotations);
      return finishAlert(draft);
    });
    return {
      kind: 'alerts',
      alerts,
      reply: (stored) => ({ status: 202, body: { status: 'success', accepted: stored.dedupKeys.length, truncatedAlerts } }),
    };
  },

  snippets(input, config) {
    return [{
      target: 'Grafana contact point',
      language: 'yaml',
      code: contactPointYaml(input, config),
      hint: {
        en: 'Provision this file under provisioning/alerting/, or create a Webhook contact point by hand with the same URL, Authorization header credentials and HMAC settings; leave Max Alerts at 0.',
        ja: 'provisioning/alerting/ に置いてプロビジョニングするか、同じ URL・Authorization ヘッダーの認証情報・HMAC 設定で Webhook コンタクトポイントを手で作成してください。Max Alerts は 0 のままにします。',
      },
    }];
  },
});
