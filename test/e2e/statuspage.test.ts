// The status page in a real Chromium against a real server: an admin creates a page and its
// components, an incident is declared and linked to a component, the war room's one action posts the
// first public update, and the public page — read with JavaScript disabled, as customers' browsers,
// feed readers and CDNs may — shows the incident, then its resolution. The public page's full-page
// screenshot is kept as a CI artefact (test-results/statuspage-public.png, which .ci/run lists).
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/serve.js';
import { BROWSER_AVAILABLE, type BrowserSession, createFirstAdmin, fullPageShot, hasText, ROOT, startBrowserSession, visible, watchErrors } from './browser.js';

let server: RunningServer;
let browser: Browser;
let page: Page;
let session: BrowserSession;

const ARTIFACTS = join(ROOT, 'test-results');
const INCIDENT_TITLE = 'api-gateway 5xx above 20% in ap-northeast-1';
const PUBLIC_TITLE = 'Elevated error rates on the API';
const RESOLVED_BODY = 'Error rates are back to normal since 14:32. We will publish a postmortem.';

describe.runIf(BROWSER_AVAILABLE)('status page in the browser', () => {
  beforeAll(async () => {
    // The webhook receiver below is on loopback, which the server refuses by default.
    session = await startBrowserSession({ webhookAllowPrivate: true });
    ({ server, browser, page } = session);
  }, 180_000);
  afterAll(async () => session?.close());

  it('takes an incident from declaration to a resolved public page, first public word in one action', async () => {
    const errors: string[] = [];
    watchErrors(page, errors);

    const origin = await createFirstAdmin(page, server.setupUrl);

    // A status page, made from the header's "Status pages"; its address follows the name.
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Status pages' }).click();
    await visible(page.getByRole('heading', { name: 'Status pages', level: 1 }));
    await page.getByRole('button', { name: 'New status page' }).click();
    const form = page.getByTestId('new-page-form');
    await form.getByLabel('Name', { exact: true }).fill('Acme Cloud');
    expect(await form.getByLabel('Address (slug)').inputValue()).toBe('acme-cloud');
    await form.getByLabel('Language').selectOption('en');
    await form.getByLabel('Time zone').fill('UTC');
    await form.getByLabel('Brand colour').fill('#0F766E');
    // The server's problem names the field; its message shows beside it.
    await form.getByLabel('Address (slug)').fill('Acme Cloud!');
    await form.getByRole('button', { name: 'Create status page' }).click();
    await hasText(page.getByTestId('error-new-page-slug'), /lowercase letters and digits/);
    await form.getByLabel('Address (slug)').fill('acme-cloud');
    await form.getByRole('button', { name: 'Create status page' }).click();
    await page.waitForURL(/\/status-pages\/acme-cloud$/);
    await visible(page.getByRole('heading', { name: 'Acme Cloud', level: 1 }));
    await hasText(page.getByTestId('overall-status'), 'All systems operational');

    // Two components, then reordered: Dashboard goes first.
    const add = page.getByTestId('add-component');
    for (const name of ['API', 'Dashboard']) {
      await add.getByLabel('Component name').fill(name);
      await add.getByRole('button', { name: 'Add component' }).click();
      await visible(page.getByTestId('status-component').filter({ hasText: name }));
    }
    const components = page.getByTestId('status-component');
    await expect.poll(() => components.count()).toBe(2);
    await page.getByRole('button', { name: 'Move Dashboard up' }).click();
    await hasText(components.first(), 'Dashboard');
    await hasText(components.nth(1), 'API');

    // A webhook subscriber: its signing secret is shown once, a test goes through the outbox to a real receiver.
    const received: IncomingHttpHeaders[] = [];
    const receiver = createServer((req, res) => {
      req.resume();
      req.on('end', () => { received.push(req.headers); res.writeHead(204).end(); });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hikeshi`;
    try {
      const subscribers = page.getByTestId('status-subscribers');
      await subscribers.getByRole('button', { name: 'Add webhook' }).click();
      await subscribers.getByLabel('Webhook URL').fill(hookUrl);
      await subscribers.getByLabel('API').check();
      await subscribers.getByRole('button', { name: 'Add subscriber' }).click();
      await visible(subscribers.getByRole('heading', { name: /shown once/ }));
      expect(((await subscribers.getByTestId('webhook-secret').textContent()) ?? '').length).toBeGreaterThan(20);
      await visible(subscribers.getByRole('button', { name: 'Copy the signing secret' }));
      const row = subscribers.getByTestId('subscriber-row').filter({ hasText: hookUrl });
      await hasText(row, 'API');
      await hasText(row, 'Active');
      await fullPageShot(page, 'statuspage-subscribers.png');
      await subscribers.getByRole('button', { name: 'I have stored the secret' }).click();
      expect(await subscribers.getByTestId('webhook-secret').count()).toBe(0);
      await row.getByRole('button', { name: `Send a test to ${hookUrl}` }).click();
      await hasText(row.getByTestId('test-queued'), /Test queued — delivery \S+/);
      const deliveryId = /delivery (\S+)/.exec((await row.getByTestId('test-queued').textContent()) ?? '')?.[1];
      await expect.poll(() => received.map((h) => h['x-hikeshi-delivery']), { timeout: 20_000 }).toContain(deliveryId);
      await row.getByRole('button', { name: `Remove the subscriber ${hookUrl}` }).click();
      await row.getByRole('button', { name: 'Remove', exact: true }).click();
      await expect.poll(() => subscribers.getByTestId('subscriber-row').count()).toBe(0);
    } finally {
      receiver.close();
    }

    // Maintenance: scheduled for the next hour on the page's clock, started early, completed; another one called off.
    const maintenance = page.getByTestId('status-maintenance');
    const schedule = async (title: string) => {
      await maintenance.getByRole('button', { name: 'Schedule maintenance' }).click();
      const mform = maintenance.getByTestId('maintenance-form');
      await mform.getByLabel('Title').fill(title);
      const startUtc = await mform.getByLabel('Starts (UTC)').inputValue();
      expect(startUtc).toMatch(/^\d{4}-\d\d-\d\dT\d\d:00$/);
      if (title === 'Database upgrade') {
        // The same instant on my clock (Tokyo, 9 hours ahead of the page's UTC).
        await mform.getByLabel('my zone (Asia/Tokyo)').check();
        const startTokyo = await mform.getByLabel('Starts (Asia/Tokyo)').inputValue();
        expect(Date.parse(`${startTokyo}Z`) - Date.parse(`${startUtc}Z`)).toBe(9 * 3_600_000);
      }
      await mform.getByLabel('Dashboard').check();
      await mform.getByLabel('What customers should know').fill('The dashboard may be slow for a few minutes.');
      if (title === 'Database upgrade') await fullPageShot(page, 'statuspage-maintenance-form.png');
      await mform.getByRole('button', { name: 'Schedule', exact: true }).click();
      const item = maintenance.getByTestId('maintenance').filter({ hasText: title });
      await hasText(item, 'Scheduled');
      return item;
    };
    const upgrade = await schedule('Database upgrade');
    await upgrade.getByRole('button', { name: 'Post an update on Database upgrade' }).click();
    expect(await upgrade.getByLabel('New state').inputValue()).toBe('in_progress');
    await upgrade.getByLabel('Message').fill('Work has started.');
    await upgrade.getByRole('button', { name: 'Post', exact: true }).click();
    await hasText(upgrade, 'In progress');
    await hasText(components.filter({ hasText: 'Dashboard' }), 'Under maintenance');
    await hasText(page.getByTestId('overall-status'), 'Under maintenance');
    await upgrade.getByRole('button', { name: 'Post an update on Database upgrade' }).click();
    await upgrade.getByLabel('New state').selectOption('completed');
    await upgrade.getByLabel('Message').fill('Done; everything is back to normal.');
    await upgrade.getByRole('button', { name: 'Post', exact: true }).click();
    await hasText(upgrade, 'Completed');
    await hasText(page.getByTestId('overall-status'), 'All systems operational');
    const network = await schedule('Network maintenance');
    await network.getByRole('button', { name: 'Cancel the maintenance Network maintenance' }).click();
    await network.getByRole('button', { name: 'Yes, cancel it' }).click();
    await hasText(network, 'Cancelled');
    await fullPageShot(page, 'statuspage-maintenance.png');

    // An incident, declared from the list.
    await nav.getByRole('link', { name: 'Incidents' }).click();
    await page.getByRole('button', { name: /Declare incident/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Declare an incident' });
    await dialog.getByLabel('Title', { exact: true }).fill(INCIDENT_TITLE);
    await dialog.getByRole('radio', { name: /SEV2/ }).check();
    await dialog.getByRole('button', { name: 'Declare' }).click();
    await page.waitForURL(/\/incidents\/INC-1$/);

    // The war room: not on any page yet, and nothing said in public — the clock is ticking.
    const panel = page.getByTestId('status-page-panel');
    await hasText(panel.getByTestId('no-public-word'), /No public word yet — \d+ min/);
    await hasText(panel, 'Not on any status page yet');
    // An update on no page would reach no customer: the one action waits for a linked component.
    await hasText(panel.getByTestId('first-needs-link'), 'Link the affected components first');
    expect(await panel.getByTestId('first-public-form').getByRole('button', { name: 'Post first public update' }).isDisabled()).toBe(true);
    await panel.getByRole('button', { name: 'Link components' }).click();
    const links = panel.getByTestId('status-links');
    await links.getByLabel('Public title').fill(PUBLIC_TITLE);
    await links.getByLabel('Impact on API').selectOption('partial_outage');
    await fullPageShot(page, 'statuspage-link-editor.png');
    await links.getByRole('button', { name: 'Save' }).click();
    await hasText(panel.getByTestId('linked-components'), 'API');
    await hasText(panel.getByTestId('linked-components'), 'Partial outage');
    await hasText(panel.getByTestId('public-title'), PUBLIC_TITLE);

    // The words are ready: the page's language, the linked component, the public cadence; another phase refills them.
    const first = panel.getByTestId('first-public-form');
    const words = first.getByLabel('Text that will be posted');
    await expect.poll(() => words.inputValue()).toMatch(/^We are investigating reports of problems with API\. We will post the next update within \d+ minutes\.$/);
    await first.getByLabel('Phase').selectOption('identified');
    await expect.poll(() => words.inputValue()).toMatch(/^We have identified the cause of the problems with API/);
    await first.getByLabel('Phase').selectOption('investigating');
    await expect.poll(() => words.inputValue()).toMatch(/^We are investigating reports of problems with API/);
    await fullPageShot(page, 'statuspage-war-room-before.png');

    // Before the first update the status page's admin view says so too, next to the incident.
    await nav.getByRole('link', { name: 'Status pages' }).click();
    await visible(page.getByTestId('status-page-row').filter({ hasText: 'Acme Cloud' }));
    await hasText(page.getByTestId('status-page-row').first(), 'Partial outage');
    await page.getByTestId('status-pages').getByRole('link', { name: 'Acme Cloud' }).click();
    const pageIncident = page.getByTestId('status-incident').filter({ hasText: 'INC-1' });
    await hasText(pageIncident, PUBLIC_TITLE);
    await hasText(pageIncident.getByTestId('no-public-word'), /No public word yet — \d+ min/);
    await hasText(page.getByTestId('overall-status'), 'Partial outage');
    await fullPageShot(page, 'statuspage-admin.png');

    // Back in the war room: one click and the public knows.
    await pageIncident.getByRole('link', { name: /INC-1/ }).click();
    await page.waitForURL(/\/incidents\/INC-1$/);
    await panel.getByTestId('first-public-form').getByRole('button', { name: 'Post first public update' }).click();
    await hasText(panel.getByTestId('public-went-out'), /First public update went out .+ after declaration/);
    await visible(panel.getByRole('link', { name: 'See it on Acme Cloud' }));
    expect(await panel.getByTestId('no-public-word').count()).toBe(0);
    await hasText(page.getByTestId('updates-public'), '[Investigating] We are investigating reports of problems with API.');
    await hasText(page.getByTestId('clock-first-public'), 'sent after');
    await fullPageShot(page, 'statuspage-war-room-after.png');

    // The public page, as a browser without JavaScript reads it.
    const reader = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 }, locale: 'en-US', timezoneId: 'Asia/Tokyo' });
    const pub = await reader.newPage();
    pub.setDefaultTimeout(10_000);
    const publicUrl = `${origin}/status/acme-cloud/`;
    // The public page is rebuilt from memory after each change: read it again until the change shows.
    const bodyText = async () => {
      await pub.goto(publicUrl);
      return (await pub.locator('body').textContent()) ?? '';
    };
    await expect.poll(bodyText, { timeout: 15_000 }).toContain(PUBLIC_TITLE);
    const shown = await bodyText();
    expect(shown).toContain('[Investigating]');
    expect(shown).toContain('We are investigating reports of problems with API.');
    expect(shown).toMatch(/Partial outage/i);
    expect(shown).not.toContain(INCIDENT_TITLE);
    expect(await pub.locator('script').count()).toBe(0);
    const summary = await (await fetch(`${publicUrl}api/v2/summary.json`)).json() as { incidents: { name: string }[] };
    expect(summary.incidents.map((i) => i.name)).toContain(PUBLIC_TITLE);

    // Resolved, in the composer's public tab: the public page tells the resolution.
    const composer = page.getByTestId('composer');
    await page.getByRole('tab', { name: 'Public' }).click();
    await composer.getByLabel('Phase').selectOption('resolved');
    await composer.getByLabel('Message').fill(RESOLVED_BODY);
    await composer.getByRole('button', { name: 'Post to Public' }).click();
    await hasText(page.getByTestId('updates-public'), `[Resolved] ${RESOLVED_BODY}`);
    await expect.poll(bodyText, { timeout: 15_000 }).toContain('[Resolved]');
    const resolved = await bodyText();
    expect(resolved).toContain(RESOLVED_BODY);
    expect(resolved).toContain(PUBLIC_TITLE);

    mkdirSync(ARTIFACTS, { recursive: true });
    await pub.screenshot({ path: join(ARTIFACTS, 'statuspage-public.png'), fullPage: true });
    await reader.close();

    // With the incident resolved, the page is all clear again.
    await nav.getByRole('link', { name: 'Status pages' }).click();
    await hasText(page.getByTestId('status-page-row').first(), 'All systems operational');
    await fullPageShot(page, 'statuspage-list.png');

    // The page's admin view in Japanese.
    await page.getByTestId('status-pages').getByRole('link', { name: 'Acme Cloud' }).click();
    await page.getByRole('button', { name: '日本語', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'コンポーネント', level: 2 }));
    await hasText(page.getByTestId('overall-status'), 'すべてのシステムは正常に稼働しています');
    await fullPageShot(page, 'statuspage-admin-ja.png');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'Components', level: 2 }));

    expect(errors).toEqual([]);
  }, 180_000);
});
