// Alerts in a real Chromium against a real server: an admin adds an Alertmanager integration, a real
// webhook arrives and shows up live, a responder's path through the group (raw payload, acknowledge,
// silence, declare an incident into the war room), the alerts resolve, and a storm becomes one banner.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRequest } from '../../src/modules/alerts/parse.js';
import { SOURCES } from '../../src/plugins/registry.js';
import type { RunningServer } from '../../src/server/serve.js';
import { BROWSER_AVAILABLE, type BrowserSession, createFirstAdmin, fullPageShot, hasText, startBrowserSession, visible, watchErrors } from './browser.js';

let server: RunningServer;
let page: Page;
let session: BrowserSession;

const TITLE = 'Checkout API 5xx error rate above 5%';

/** One Alertmanager webhook (payload version 4): two alerts of one group, firing or resolved. */
function alertmanagerPayload(status: 'firing' | 'resolved', startsAt: string, endsAt: string) {
  const common = { alertname: 'CheckoutHighErrorRate', service: 'checkout', severity: 'critical', env: 'prod', team: 'payments' };
  const alert = (instance: string, pod: string, fingerprint: string, rate: string) => ({
    status,
    labels: { ...common, instance, pod, job: 'checkout-api' },
    annotations: {
      summary: TITLE,
      description: `${pod} answers 5xx to ${rate} of requests over the last 5 minutes.`,
      runbook_url: 'https://runbooks.example.com/checkout/high-error-rate',
    },
    startsAt,
    endsAt,
    generatorURL: 'http://prometheus.example.internal:9090/graph?g0.expr=sum+by+%28instance%29+%28rate%28http_requests_total%7Bcode%3D~%225..%22%7D%5B5m%5D%29%29&g0.tab=1',
    fingerprint,
  });
  return {
    version: '4',
    groupKey: '{}/{env="prod"}:{alertname="CheckoutHighErrorRate"}',
    truncatedAlerts: 0,
    status,
    receiver: 'hikeshi',
    groupLabels: { alertname: 'CheckoutHighErrorRate' },
    commonLabels: { ...common, job: 'checkout-api' },
    commonAnnotations: { summary: TITLE, runbook_url: 'https://runbooks.example.com/checkout/high-error-rate' },
    externalURL: 'http://alertmanager.example.internal:9093',
    alerts: [
      alert('10.0.3.14:8080', 'checkout-api-7d9f8-x2k4q', '6f1c2a9be0d34a17', '12%'),
      alert('10.0.3.27:8080', 'checkout-api-7d9f8-m8r2z', 'c03e5b7d9a1f4e62', '9%'),
    ],
  };
}

/** 60 alerts, each its own group (Alertmanager integrations group by alertname), all in one region. */
function stormPayload(startsAt: string) {
  const alerts = Array.from({ length: 60 }, (_, i) => ({
    status: 'firing',
    labels: { alertname: `NodeDown${String(i).padStart(2, '0')}`, region: 'ap-northeast-1', severity: i % 3 === 0 ? 'critical' : 'warning', instance: `node-${i}:9100` },
    annotations: { summary: `node-${i} is unreachable` },
    startsAt,
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus.example.internal:9090/graph',
    fingerprint: `feed${String(i).padStart(12, '0')}`,
  }));
  return {
    version: '4', groupKey: '{}:{region="ap-northeast-1"}', truncatedAlerts: 0, status: 'firing', receiver: 'hikeshi',
    groupLabels: { region: 'ap-northeast-1' }, commonLabels: { region: 'ap-northeast-1' }, commonAnnotations: {},
    externalURL: 'http://alertmanager.example.internal:9093', alerts,
  };
}

describe.runIf(BROWSER_AVAILABLE)('alerts in the browser', () => {
  beforeAll(async () => {
    session = await startBrowserSession();
    ({ server, page } = session);
  }, 180_000);
  afterAll(async () => session?.close());

  it('ingests an Alertmanager webhook and takes its group from alert to incident', async () => {
    const errors: string[] = [];
    watchErrors(page, errors);

    const origin = await createFirstAdmin(page, server.setupUrl);

    // An admin adds an Alertmanager integration from the header's Integrations page.
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Integrations' }).click();
    await visible(page.getByRole('heading', { name: 'Integrations', level: 1 }));
    await page.getByRole('button', { name: 'Add integration' }).click();
    await page.getByRole('radio', { name: /Prometheus Alertmanager/ }).check();
    const form = page.getByTestId('new-integration-form');
    await form.getByLabel('Name').fill('prod Alertmanager (Tokyo)');
    await fullPageShot(page, 'alerts-add-integration.png');
    await form.getByRole('button', { name: 'Create integration' }).click();

    // The key is shown once, with the snippet filled in with it.
    const keyPanel = page.getByTestId('key-panel');
    await visible(keyPanel.getByRole('heading', { name: /the key is shown once/ }));
    const key = (await page.getByTestId('integration-key').textContent()) ?? '';
    expect(key.length).toBeGreaterThan(20);
    await hasText(keyPanel.getByTestId('snippet'), 'alertmanager.yml');
    expect(await keyPanel.getByTestId('snippet').locator('pre').textContent()).toContain(key);
    await visible(keyPanel.getByRole('button', { name: 'Copy alertmanager.yml' }));
    await visible(page.getByTestId('integrations').getByRole('link', { name: 'prod Alertmanager (Tokyo)' }));
    await fullPageShot(page, 'alerts-integrations.png');

    // The alerts page is open and empty when the webhook arrives; the group appears without a reload.
    await nav.getByRole('link', { name: 'Alerts' }).click();
    await visible(page.getByRole('heading', { name: 'Alerts', level: 1 }));
    await visible(page.getByTestId('alerts-empty'));
    await expect.poll(() => page.locator('.live.on').count()).toBe(1);
    const startsAt = new Date(Date.now() - 4 * 60_000).toISOString();
    const post = (body: unknown) => fetch(`${origin}/ingest/alertmanager`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${key}` }, body: JSON.stringify(body),
    });
    const fired = await post(alertmanagerPayload('firing', startsAt, '0001-01-01T00:00:00Z'));
    expect(fired.status).toBeLessThan(300);
    const row = page.getByTestId('alert-group-row').filter({ hasText: TITLE });
    await visible(row);
    await hasText(row, 'Triggered');
    await hasText(row, '2 / 2');
    await hasText(row, 'alertname=CheckoutHighErrorRate');
    await hasText(row, 'prod Alertmanager (Tokyo)');
    await hasText(page.getByTestId('alert-counts'), 'Firing alerts');
    await fullPageShot(page, 'alerts-list.png');

    // The group: both alerts, one opened up to its description and the payload as sent.
    await row.getByRole('link', { name: TITLE }).click();
    await visible(page.getByRole('heading', { name: TITLE, level: 1 }));
    await hasText(page.getByTestId('group-count'), '2 firing of 2');
    const alertRows = page.getByTestId('alert-row');
    await expect.poll(() => alertRows.count()).toBe(2);
    await alertRows.first().getByRole('button', { name: /Details of/ }).click();
    const detail = page.getByTestId('alert-detail');
    await hasText(detail, 'answers 5xx to');
    await visible(detail.getByRole('link', { name: /runbooks\.example\.com|Alertmanager/ }));
    await detail.getByText('Raw payload (as sent)').click();
    await hasText(detail.locator('pre'), '"fingerprint"');
    await hasText(detail.locator('pre'), 'checkout-api-7d9f8');

    // Acknowledge.
    await page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await visible(page.getByRole('heading', { name: TITLE, level: 1 }));
    await hasText(page.locator('.alert-head .head-line'), 'Acknowledged');
    await hasText(page.getByTestId('group-history'), 'Acknowledged');

    // Silence it: the form starts from the group's labels and says what it would cover.
    await page.getByRole('button', { name: 'Silence…' }).click();
    await visible(page.getByRole('heading', { name: 'New silence' }));
    const silenceForm = page.getByTestId('silence-form');
    expect(await silenceForm.getByLabel('Label name (matcher 1)').inputValue()).toBe('alertname');
    expect(await silenceForm.getByLabel('Value (matcher 1)').inputValue()).toBe('CheckoutHighErrorRate');
    await hasText(page.getByTestId('silence-preview'), 'Open alert groups it matches now: 1');
    await silenceForm.getByRole('button', { name: '4 h' }).click();
    await silenceForm.getByLabel('Comment').fill('Rollback of checkout-api v42 in progress; paged already.');
    await fullPageShot(page, 'alerts-silence-form.png');
    await silenceForm.getByRole('button', { name: 'Create silence' }).click();
    // Back on the group, which no longer pages.
    await visible(page.getByRole('heading', { name: TITLE, level: 1 }));
    await visible(page.getByTestId('badge-silenced'));
    await hasText(page.getByTestId('suppression'), 'Silenced');
    await alertRows.first().getByRole('button', { name: /Details of/ }).click();
    await page.getByTestId('alert-detail').getByText('Raw payload (as sent)').click();
    await hasText(page.getByTestId('alert-detail').locator('pre'), '"fingerprint"');
    await fullPageShot(page, 'alerts-group.png');

    // Declare an incident from the group: the title is the group's, the war room lists the group.
    await page.getByRole('button', { name: 'Declare incident' }).click();
    const dialog = page.getByRole('dialog', { name: 'Declare an incident from this alert group' });
    await visible(dialog);
    expect(await dialog.getByLabel('Title', { exact: true }).inputValue()).toBe(TITLE);
    await dialog.getByRole('radio', { name: /SEV2/ }).check();
    await dialog.getByRole('button', { name: 'Declare' }).click();
    await page.getByTestId('war-room').waitFor();
    expect(new URL(page.url()).pathname).toBe('/incidents/INC-1');
    await visible(page.getByRole('heading', { name: TITLE, level: 1 }));
    const panel = page.getByTestId('incident-alerts');
    await visible(panel.getByRole('heading', { name: /Alert groups/ }));
    await visible(panel.getByRole('link', { name: TITLE }));
    await hasText(panel, 'Acknowledged');

    // Alertmanager says both alerts resolved: the war room's panel follows, live.
    const resolved = await post(alertmanagerPayload('resolved', startsAt, new Date().toISOString()));
    expect(resolved.status).toBeLessThan(300);
    await hasText(panel, 'Resolved');
    await hasText(panel, '0 firing of 2');
    await fullPageShot(page, 'alerts-war-room.png');
    await panel.getByRole('link', { name: TITLE }).click();
    await visible(page.getByRole('heading', { name: TITLE, level: 1 }));
    await hasText(page.locator('.alert-head .head-line'), 'Resolved');
    await visible(page.getByRole('link', { name: /INC-1/ }).first());

    // A storm: 60 new groups at once become one banner, and its shared label is one click away.
    await page.getByRole('navigation', { name: 'Alerts' }).getByRole('link', { name: 'Alert groups' }).click();
    await visible(page.getByRole('heading', { name: 'Alerts', level: 1 }));
    const storm = await post(stormPayload(new Date(Date.now() - 60_000).toISOString()));
    expect(storm.status).toBeLessThan(300);
    const banner = page.getByTestId('storm-banner');
    await hasText(banner, /Alert storm: 6\d alerts in the last 5 minutes, 6\d new groups/);
    await hasText(banner, 'region=ap-northeast-1');
    await hasText(page.getByTestId('alerts-total'), 'Showing 50 of 60');
    await visible(page.getByRole('button', { name: 'Load more' }));
    await fullPageShot(page, 'alerts-storm.png');

    // During the storm the page does not refetch on every event: 30 batches in 3 s, at most one refetch per 2 s.
    let refetches = 0;
    const count = (r: { url(): string }) => { if (new URL(r.url()).pathname === '/api/v1/alert-groups/overview') refetches += 1; };
    page.on('request', count);
    const again = stormPayload(new Date(Date.now() - 60_000).toISOString());
    for (let i = 0; i < 30; i += 1) {
      expect((await post({ ...again, alerts: [again.alerts[i]] })).status).toBeLessThan(300);
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 2500));
    page.off('request', count);
    expect(refetches).toBeGreaterThanOrEqual(1);
    expect(refetches).toBeLessThanOrEqual(4);
    // With no events, the page still looks again while a storm is shown: the server reuses a storm's
    // counts for 5 s, so the refetch that followed the last event may have shown them a little old.
    refetches = 0;
    page.on('request', count);
    await expect.poll(() => refetches, { timeout: 9_000 }).toBeGreaterThanOrEqual(1);
    page.off('request', count);
    await banner.getByRole('button', { name: /region=ap-northeast-1/ }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('label')).toBe('region=ap-northeast-1');
    await hasText(page.getByTestId('active-filters'), 'region=ap-northeast-1');
    expect(await banner.getByRole('button', { name: /region=ap-northeast-1/ }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByLabel('Label', { exact: true }).inputValue()).toBe('region=ap-northeast-1');
    await page.getByRole('button', { name: 'Load more' }).click();
    await hasText(page.getByTestId('alerts-total'), 'Showing 60 of 60');

    // Grouping behind acceptance (held back here): the page says how many accepted alerts wait, then catches up.
    await server.ctx.ingestor.grouper.stop();
    try {
      const late = stormPayload(new Date().toISOString());
      late.alerts = late.alerts.slice(0, 5).map((a, i) => ({ ...a, labels: { ...a.labels, alertname: `LateNode${i}` }, fingerprint: `late${String(i).padStart(12, '0')}` }));
      expect((await post(late)).status).toBe(202);
      await page.reload();
      await hasText(page.getByTestId('inbox-notice'), /5 accepted alerts are waiting to be grouped; the oldest arrived \d+ s ago/);
      await fullPageShot(page, 'alerts-inbox-waiting.png');
    } finally {
      await server.ctx.ingestor.grouper.start();
    }
    await expect.poll(() => page.getByTestId('inbox-notice').count(), { timeout: 10_000 }).toBe(0);
    await page.goto(`${origin}/alerts?label=alertname%3DLateNode3`);
    await hasText(page.getByTestId('alert-group-row'), 'node-3 is unreachable');

    // The same page in Japanese.
    await page.getByRole('button', { name: '日本語', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'アラート', level: 1 }));
    await hasText(page.getByTestId('storm-banner'), 'アラートストーム');
    await fullPageShot(page, 'alerts-storm-ja.png');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'Alerts', level: 1 }));

    // The silence made earlier is listed, with what it covers and who made it.
    await page.getByRole('navigation', { name: 'Alerts' }).getByRole('link', { name: 'Silences' }).click();
    await visible(page.getByRole('heading', { name: 'Silences', level: 1 }));
    const silenceRow = page.getByTestId('silence-row').first();
    await hasText(silenceRow, 'alertname="CheckoutHighErrorRate"');
    await hasText(silenceRow, 'Rollback of checkout-api v42');
    await hasText(silenceRow, 'Aiko Tanaka');
    await fullPageShot(page, 'alerts-silences.png');

    // A maintenance window for the integration.
    await page.getByRole('navigation', { name: 'Alerts' }).getByRole('link', { name: 'Maintenance' }).click();
    await page.getByRole('button', { name: 'New maintenance window' }).click();
    await page.getByLabel('Title').fill('Core switch firmware upgrade');
    await page.getByRole('button', { name: '4 h' }).click();
    await page.getByLabel('prod Alertmanager (Tokyo)').check();
    await page.getByLabel('Services').fill('checkout, payments-api');
    await page.getByRole('button', { name: 'Create window' }).click();
    const windows = page.getByTestId('maintenance-windows');
    await hasText(windows, 'Core switch firmware upgrade');
    await hasText(windows, 'In progress');
    await hasText(windows, 'checkout, payments-api');
    await fullPageShot(page, 'alerts-maintenance.png');

    // The integration's own page: snippets with a placeholder instead of the key; an alert route.
    await nav.getByRole('link', { name: 'Integrations' }).click();
    await page.getByTestId('integrations').getByRole('link', { name: 'prod Alertmanager (Tokyo)' }).click();
    await visible(page.getByRole('heading', { name: 'prod Alertmanager (Tokyo)', level: 1 }));
    await hasText(page.getByTestId('snippet').locator('pre'), '<INTEGRATION_KEY>');
    expect(await page.getByTestId('snippet').locator('pre').textContent()).not.toContain(key);
    await page.getByRole('button', { name: 'Rotate key…' }).click();
    await visible(page.getByRole('button', { name: 'Rotate key now' }));
    await page.getByRole('button', { name: 'Cancel' }).click();
    await fullPageShot(page, 'alerts-integration.png');

    // Routes page an escalation policy: make one first.
    await page.getByRole('navigation', { name: 'Integrations' }).getByRole('link', { name: 'Escalation policies' }).click();
    await page.getByRole('button', { name: 'New policy' }).click();
    const policyForm = page.getByTestId('new-policy-form');
    await policyForm.getByLabel('Name', { exact: true }).fill('Payments on-call');
    await policyForm.getByLabel('Who to add to level 1', { exact: true }).selectOption({ label: 'Aiko Tanaka (me)' });
    await policyForm.getByRole('button', { name: 'Add to level 1' }).click();
    await policyForm.getByRole('button', { name: 'Create policy' }).click();
    await visible(page.getByTestId('policy-card'));

    await page.getByRole('link', { name: 'Alert routes' }).click();
    await visible(page.getByRole('heading', { name: 'Alert routes', level: 1 }));
    await page.getByRole('button', { name: 'Add route' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Checkout to payments on-call');
    await page.getByRole('button', { name: 'Add matcher' }).click();
    await page.getByLabel('Label name (matcher 1)').fill('service');
    await page.getByLabel('Value (matcher 1)').fill('checkout');
    await page.getByLabel('Service', { exact: true }).fill('checkout');
    await page.getByLabel('Escalation policy').selectOption({ label: 'Payments on-call' });
    await page.getByLabel('Declare incident').selectOption('SEV2');
    await page.getByRole('button', { name: 'Save routes' }).click();
    await hasText(page.locator('.save-bar'), 'Saved');
    await page.reload();
    expect(await page.getByLabel('Escalation policy').locator('option:checked').textContent()).toBe('Payments on-call');
    await fullPageShot(page, 'alerts-routes.png');

    expect(errors).toEqual([]);
  }, 180_000);

  it('shows a request grouping set aside, with its error, and an admin retries it', async () => {
    const errors: string[] = [];
    watchErrors(page, errors);
    // Grouping gave up on this request (as it does after failing on it alone again and again): kept with its error.
    const db = server.ctx.storage.db;
    const integration = await db.selectFrom('integrations').select('id').where('name', '=', 'prod Alertmanager (Tokyo)').executeTakeFirstOrThrow();
    const payload = alertmanagerPayload('firing', new Date(Date.now() - 60_000).toISOString(), '0001-01-01T00:00:00Z');
    payload.alerts = payload.alerts.map((a) => ({ ...a, labels: { ...a.labels, alertname: 'ReplicaLagHigh' }, annotations: { ...a.annotations, summary: 'Replica lag above 30 s' } }));
    const parsed = await parseRequest(SOURCES.alertmanager, { headers: {}, rawBody: JSON.stringify(payload), receivedAt: new Date() },
      { config: {}, integrationId: integration.id, fetchText: () => Promise.reject(new Error('no fetching')) });
    if (parsed.kind !== 'alerts') throw new Error(`fixture did not parse: ${parsed.kind}`);
    await db.insertInto('alert_inbox').values({
      id: 'set-aside-e2e', integration_id: integration.id, received_at: new Date().toISOString(), message_id: null,
      alert_count: parsed.count, alerts_json: parsed.alertsJson, error: 'SQLITE_CORRUPT: database disk image is malformed',
    }).execute();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
    const notice = page.getByTestId('inbox-notice');
    await hasText(notice, '1 accepted request could not be grouped and was set aside');
    const row = notice.getByTestId('set-aside').locator('tbody tr');
    await hasText(row, 'prod Alertmanager (Tokyo)');
    await hasText(row, 'SQLITE_CORRUPT: database disk image is malformed');
    await fullPageShot(page, 'alerts-set-aside.png');
    await row.getByRole('button', { name: 'Retry' }).click();
    // Back in the queue, grouped at once: the notice goes, the group arrives.
    await expect.poll(() => notice.count(), { timeout: 15_000 }).toBe(0);
    await visible(page.getByTestId('alert-group-row').filter({ hasText: 'Replica lag above 30 s' }));
    const audit = await db.selectFrom('audit_events').select('action').where('target_id', '=', 'set-aside-e2e').execute();
    expect(audit).toEqual([{ action: 'alert_inbox.retry' }]);
    expect(errors).toEqual([]);
  }, 120_000);
});
