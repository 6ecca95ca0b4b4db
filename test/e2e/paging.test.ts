// Paging in a real Chromium against a real server and a webhook receiver on loopback: an admin adds a
// webhook contact method to their profile (the signing secret shown once, a test delivered and signed),
// makes a rule of it, builds an escalation policy through the form (refused first with the server's
// words beside the level), pages it by hand from /pages, the receiver gets the signed page, and the
// page shows in "My pages" and on its own page with the notification sent; acknowledging stops it.
// Alert routes pick the policy from a select, the policy cannot be deleted while a route uses it, and
// the pages read in Japanese. Then the war room pages a responder into an incident (the page listed
// beside the roster, "Paged …" on the timeline), and the on-call health report counts the pages.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../src/plugins/channels/webhook/index.js';
import type { RunningServer } from '../../src/server/serve.js';
import { BROWSER_AVAILABLE, type BrowserSession, createFirstAdmin, fullPageShot, hasText, startBrowserSession, visible, watchErrors } from './browser.js';

interface Hit { headers: IncomingMessage['headers']; body: string }

let server: RunningServer;
let page: Page;
let session: BrowserSession;
let receiver: Server;
let hookUrl: string;
const hits: Hit[] = [];

describe.runIf(BROWSER_AVAILABLE)('paging in the browser', () => {
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        hits.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/pager`;
    // The receiver is on loopback, which webhooks refuse unless told otherwise.
    session = await startBrowserSession({ webhookAllowPrivate: true });
    ({ server, page } = session);
  }, 180_000);
  afterAll(async () => {
    await session?.close();
    receiver?.closeAllConnections();
    await new Promise((r) => receiver?.close(r));
  });

  it('reaches the admin through a webhook, by hand and through a policy, and acknowledges', async () => {
    const errors: string[] = [];
    watchErrors(page, errors);
    const origin = await createFirstAdmin(page, server.setupUrl);

    // A responder for the policy's second level, made with the admin's session as the UI would.
    const request = page.context().request;
    const { csrfToken } = await (await request.get(`${origin}/api/v1/session`)).json() as { csrfToken: string };
    const made = await request.post(`${origin}/api/v1/users`, {
      headers: { 'x-csrf-token': csrfToken },
      data: { email: 'ken@example.com', name: 'Ken Sato', role: 'responder', password: 'responder password 123', locale: 'en', timeZone: 'Asia/Tokyo' },
    });
    expect(made.status()).toBe(201);
    await page.reload();

    // The profile: no rules yet, so pages go to the sign-in e-mail; a webhook of my own.
    await page.getByRole('banner').getByRole('link', { name: 'Aiko Tanaka' }).click();
    await visible(page.getByRole('heading', { name: 'Profile', level: 1 }));
    const reach = page.getByTestId('how-pages-reach-you');
    await visible(reach.getByRole('heading', { name: 'How pages reach you', level: 2 }));
    await hasText(reach.getByTestId('rules-default'), 'With no rules, pages reach you by e-mail at aiko@example.com, at once.');
    await hasText(reach, 'No contact methods yet.');
    const add = reach.getByTestId('add-contact');
    await add.getByLabel('Kind', { exact: true }).selectOption('webhook');
    await add.getByLabel('Webhook URL').fill(hookUrl);
    await add.getByLabel('Label (optional)').fill('My pager');
    await add.getByRole('button', { name: 'Add contact method' }).click();

    // The signing secret, once, with a copy button; the list shows only the URL's host and end.
    const secretPanel = reach.getByTestId('signing-secret-panel');
    await hasText(secretPanel, 'it will not be shown again');
    await visible(secretPanel.getByRole('button', { name: 'Copy the signing secret' }));
    const secret = (await secretPanel.getByTestId('signing-secret').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_/);
    const row = reach.getByTestId('contact-row').filter({ hasText: 'My pager' });
    await hasText(row, 'Webhook');
    await hasText(row, /127\.0\.0\.1:\d+\/…ager/);
    expect(await reach.textContent()).not.toContain(hookUrl);
    await fullPageShot(page, 'paging-profile-secret.png');
    await secretPanel.getByRole('button', { name: 'I have copied it' }).click();
    expect(await reach.getByTestId('signing-secret-panel').count()).toBe(0);

    // Test: delivered, and signed with that secret.
    await row.getByRole('button', { name: 'Send a test to My pager' }).click();
    await hasText(row, '✓ Delivered — HTTP 200');
    const test = hits.find((h) => h.body.includes('"test"'));
    expect(test).toBeDefined();
    expect(verifyWebhookSignature(secret, test!.headers, test!.body)).toEqual({ ok: true });

    // A rule: the webhook at once.
    const rules = reach.getByTestId('notification-rules');
    await rules.getByRole('button', { name: 'Add rule' }).click();
    await rules.getByLabel('Contact method for rule 1').selectOption({ label: 'My pager' });
    await rules.getByLabel('After (minutes) for rule 1').fill('0');
    await hasText(rules.getByTestId('rule-row'), 'at once');
    await rules.getByRole('button', { name: 'Save rules' }).click();
    await hasText(rules, 'Saved');
    await page.reload();
    await expect.poll(async () => page.getByTestId('notification-rules').getByLabel('Contact method for rule 1').locator('option:checked').textContent()).toBe('My pager');
    await fullPageShot(page, 'paging-profile.png');

    // An escalation policy, from the Integrations area: me first, then Ken.
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Integrations' }).click();
    await page.getByRole('navigation', { name: 'Integrations' }).getByRole('link', { name: 'Escalation policies' }).click();
    await visible(page.getByRole('heading', { name: 'Escalation policies', level: 1 }));
    await visible(page.getByText('No escalation policies yet.'));
    await page.getByRole('button', { name: 'New policy' }).click();
    const form = page.getByTestId('new-policy-form');
    await form.getByLabel('Name', { exact: true }).fill('Database primary');
    const level1 = form.getByRole('group', { name: 'Level 1', exact: true });
    await level1.getByLabel('Escalate after (minutes)').fill('10');

    // Without a target the server refuses, and says so beside the level's targets.
    await form.getByRole('button', { name: 'Create policy' }).click();
    await hasText(level1.locator('fieldset.participants .field-error'), 'a level needs at least one target');

    await level1.getByLabel('Who to add to level 1', { exact: true }).selectOption({ label: 'Aiko Tanaka (me)' });
    await level1.getByRole('button', { name: 'Add to level 1' }).click();
    await visible(level1.getByRole('button', { name: 'Remove Aiko Tanaka from level 1' }));
    await form.getByRole('button', { name: 'Add level' }).click();
    const level2 = form.getByRole('group', { name: 'Level 2', exact: true });
    await level2.getByLabel('Who to add to level 2', { exact: true }).selectOption({ label: 'Ken Sato' });
    await level2.getByRole('button', { name: 'Add to level 2' }).click();
    await form.getByLabel('Repeat').fill('1');
    await fullPageShot(page, 'paging-policy-form.png');
    await form.getByRole('button', { name: 'Create policy' }).click();
    const card = page.getByTestId('policy-card').filter({ hasText: 'Database primary' });
    await hasText(card.getByTestId('policy-levels'), 'Level 1 Person: Aiko Tanaka · after 10 min');
    await hasText(card.getByTestId('policy-levels'), 'Person: Ken Sato');
    await hasText(card, '2 levels · repeats 1 time');
    await fullPageShot(page, 'paging-policies.png');

    // Pages, from the main navigation: nothing yet; page the policy by hand.
    await nav.getByRole('link', { name: 'Pages', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'Pages', level: 1 }));
    const mine = page.getByTestId('my-pages');
    await hasText(mine, 'No open pages for you.');
    const before = hits.length;
    await page.getByRole('button', { name: 'Page someone' }).click();
    const someone = page.getByTestId('page-someone');
    await someone.getByLabel('Title').fill('Database down');
    expect(await someone.getByLabel('Severity').inputValue()).toBe('critical');
    await someone.getByLabel('Who to page').selectOption({ label: 'An escalation policy' });
    await someone.getByLabel('Escalation policy', { exact: true }).selectOption({ label: 'Database primary' });
    await someone.getByRole('button', { name: 'Page now' }).click();
    await hasText(someone, 'Paged: Database down.');
    expect(await someone.getByTestId('nobody-reached').count()).toBe(0);

    // The receiver gets the page, signed, with its links.
    const paged = () => hits.slice(before).find((h) => h.body.includes('page.triggered'));
    await expect.poll(() => paged() !== undefined, { timeout: 15_000 }).toBe(true);
    const hit = paged()!;
    const sent = JSON.parse(hit.body) as { type: string; page: { id: string; title: string }; links: { acknowledge: string } };
    expect(sent.type).toBe('page.triggered');
    expect(sent.page.title).toBe('Database down');
    expect(sent.links.acknowledge).toContain('/page-links/ack?token=');
    expect(verifyWebhookSignature(secret, hit.headers, hit.body)).toEqual({ ok: true });

    // In "My pages", triggered, at level 1 of the policy; the row's buttons name the page.
    const myRow = mine.getByTestId('page-row').filter({ hasText: 'Database down' });
    await hasText(myRow, 'Triggered');
    await hasText(myRow, 'Database primary');
    await hasText(myRow, 'Level 1');
    await hasText(myRow, 'Critical');
    await visible(myRow.getByRole('button', { name: 'Acknowledge Database down' }));
    await visible(myRow.getByRole('button', { name: 'Resolve Database down' }));
    await hasText(page.getByTestId('all-pages').getByTestId('page-row'), 'Database down');
    await fullPageShot(page, 'paging-pages.png');

    // Its page: the snapshot at level 1 of 2, the webhook notification sent, what happened.
    await myRow.getByRole('link', { name: 'Database down' }).click();
    await visible(page.getByRole('heading', { name: 'Database down', level: 1 }));
    expect(new URL(page.url()).pathname).toBe(`/pages/${sent.page.id}`);
    await hasText(page.getByTestId('page-level'), 'Level 1 of 2');
    const current = page.getByTestId('snapshot-level').first();
    await hasText(current, 'Current level');
    await hasText(current, 'Aiko Tanaka');
    await hasText(current, 'next level after 10 minutes');
    await hasText(page.getByTestId('snapshot-level').nth(1), 'Ken Sato');
    const notification = page.getByTestId('notification-row').filter({ hasText: 'Aiko Tanaka' });
    await hasText(notification, 'Webhook');
    await hasText(notification, 'Sent');
    expect(await notification.getAttribute('data-status')).toBe('sent');
    const events = page.getByTestId('page-events');
    await hasText(events, 'Page started with “Database primary”');
    await hasText(events, 'Level 1: notified Aiko Tanaka');
    await fullPageShot(page, 'paging-page.png');

    // Acknowledge: the status changes, and says who.
    await page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await hasText(page.getByTestId('page-status'), 'Acknowledged');
    await hasText(page.getByTestId('page-acknowledged'), 'Aiko Tanaka');
    await hasText(events, 'Acknowledged');
    expect(await page.getByRole('button', { name: 'Acknowledge', exact: true }).count()).toBe(0);
    await visible(page.getByRole('button', { name: 'Resolve', exact: true }));
    await fullPageShot(page, 'paging-page-acknowledged.png');

    // An alert route picks the policy from a select; then the policy cannot be deleted, and says why.
    await nav.getByRole('link', { name: 'Integrations' }).click();
    await page.getByRole('navigation', { name: 'Integrations' }).getByRole('link', { name: 'Alert routes' }).click();
    await page.getByRole('button', { name: 'Add route' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Databases');
    await page.getByLabel('Escalation policy').selectOption({ label: 'Database primary' });
    await page.getByRole('button', { name: 'Save routes' }).click();
    await hasText(page.locator('.save-bar'), 'Saved');
    await page.reload();
    await expect.poll(() => page.getByLabel('Escalation policy').locator('option:checked').textContent()).toBe('Database primary');
    await page.getByRole('link', { name: 'Manage escalation policies' }).click();
    await page.getByRole('button', { name: 'Delete Database primary…' }).click();
    await page.getByRole('button', { name: 'Delete for good' }).click();
    await hasText(page.getByTestId('policy-card').getByTestId('form-error'), 'Alert routes send to this policy: Databases');
    expect(await page.getByTestId('policy-card').count()).toBe(1);

    // In Japanese.
    await page.getByRole('button', { name: '日本語', exact: true }).click();
    await nav.getByRole('link', { name: '呼び出し', exact: true }).click();
    await visible(page.getByRole('heading', { name: '呼び出し', level: 1 }));
    await visible(page.getByRole('heading', { name: '自分宛ての呼び出し', level: 2 }));
    await hasText(page.getByTestId('my-pages').getByTestId('page-row'), '確認済み');
    await fullPageShot(page, 'paging-pages-ja.png');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'My pages', level: 2 }));

    expect(errors).toEqual([]);
  }, 180_000);

  // Goes on from the test above: the admin is signed in, with a webhook rule, and Ken exists.
  it('pages a responder from the war room, and counts it in the on-call health report', async () => {
    const errors: string[] = [];
    watchErrors(page, errors);
    const origin = new URL(page.url()).origin;
    const request = page.context().request;
    const { csrfToken } = await (await request.get(`${origin}/api/v1/session`)).json() as { csrfToken: string };
    const post = async (path: string, data: unknown) => {
      const r = await request.post(`${origin}/api/v1${path}`, { headers: { 'x-csrf-token': csrfToken }, data });
      expect(r.status(), path).toBe(201);
      return r.json() as Promise<{ id: string; ref: string }>;
    };

    // An incident and a drill, declared through the API; a team of the admin and Ken.
    const incident = await post('/incidents', { title: 'Orders stuck in pending', severity: 'SEV2' });
    const drill = await post('/incidents', { title: 'Game day: database failover', severity: 'SEV3', drill: true });
    const team = await post('/teams', { name: 'Databases' });
    const { users } = await (await request.get(`${origin}/api/v1/users`)).json() as { users: { id: string }[] };
    for (const u of users) expect((await request.put(`${origin}/api/v1/teams/${team.id}/members/${u.id}`, { headers: { 'x-csrf-token': csrfToken } })).status()).toBe(204);

    // The war room's "Page responders", beside the roster: nobody paged yet; page the admin with a message.
    await page.goto(`${origin}/incidents/${incident.ref}`);
    await visible(page.getByRole('heading', { name: 'Orders stuck in pending', level: 1 }));
    const panel = page.getByTestId('incident-pages');
    await visible(panel.getByRole('heading', { name: 'Page responders', level: 2 }));
    await hasText(panel, 'Nobody has been paged for this incident.');
    expect(await panel.getByTestId('incident-pages-drill').count()).toBe(0);
    expect(await panel.getByLabel('Who to page').inputValue()).toBe('user');
    await panel.getByLabel('Person', { exact: true }).selectOption({ label: 'Aiko Tanaka (me)' });
    await panel.getByLabel('Message (optional)').fill('Is the queue consumer yours?');
    await panel.getByRole('button', { name: 'Page', exact: true }).click();
    await hasText(panel.getByRole('status'), 'Paged Aiko Tanaka.');

    // The page is listed, with its level of its one-level policy; the timeline says who was paged and why.
    const row = panel.getByTestId('incident-page').filter({ hasText: 'Aiko Tanaka' });
    await hasText(row, 'Triggered');
    await hasText(row, 'Level 1 of 1');
    await hasText(row, '“Is the queue consumer yours?”');
    const timeline = page.getByTestId('timeline');
    await hasText(timeline.locator('li[data-kind="page.started"]'), `Paged Aiko Tanaka: ${incident.ref} Orders stuck in pending — Is the queue consumer yours?`);
    await fullPageShot(page, 'paging-war-room.png');

    // Its page: a direct page rings up to three rounds. Acknowledge, then back to the incident.
    await row.getByRole('link', { name: 'Open the page to Aiko Tanaka' }).click();
    await visible(page.getByRole('heading', { name: `${incident.ref} Orders stuck in pending — Is the queue consumer yours?`, level: 1 }));
    await hasText(page.getByTestId('page-level'), 'Level 1 of 1 · round 1 of 3');
    await hasText(page.getByTestId('page-events'), 'Level 1: notified Aiko Tanaka');
    await page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await hasText(page.getByTestId('page-status'), 'Acknowledged');
    await page.getByRole('link', { name: `${incident.ref} Orders stuck in pending` }).click();
    await visible(page.getByRole('heading', { name: 'Orders stuck in pending', level: 1 }));
    await hasText(row, 'Acknowledged');
    await hasText(row.getByTestId('incident-page-ack'), 'acknowledged by Aiko Tanaka');
    await hasText(timeline.locator('li[data-kind="page.acknowledged"]'), 'Aiko Tanaka acknowledged the page');

    // A drill says whom it pages.
    await page.goto(`${origin}/incidents/${drill.ref}`);
    await hasText(page.getByTestId('incident-pages-drill'), 'only people named in it are paged');

    // On-call health, from the schedules page: mine by default, the two pages that reached me, both acknowledged.
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'On-call' }).click();
    await page.getByRole('link', { name: 'On-call health' }).click();
    await visible(page.getByRole('heading', { name: 'On-call health', level: 1 }));
    expect(await page.getByRole('button', { name: 'Last 30 days' }).getAttribute('aria-pressed')).toBe('true');
    const mineRow = page.getByTestId('health-row').filter({ hasText: 'Aiko Tanaka' });
    await hasText(mineRow.getByTestId('health-pages'), '2');
    const cells = async (r: typeof mineRow) => (await r.locator('td').allTextContents()).map((c) => c.trim());
    expect((await cells(mineRow))[2]).toBe('2');
    expect(await page.getByTestId('health-totals').count()).toBe(0);
    await hasText(page.locator('.column-notes'), 'in their own time zone');

    // A week, and the team: a row per member and the team's totals.
    await page.getByRole('button', { name: 'Last 7 days' }).click();
    await page.getByLabel('Whose').selectOption({ label: 'Databases' });
    await expect.poll(() => new URL(page.url()).search).toBe(`?days=7&team=${team.id}`);
    await hasText(page.getByTestId('health-row').filter({ hasText: 'Ken Sato' }), 'Asia/Tokyo');
    const totals = page.getByTestId('health-totals');
    await hasText(totals, 'Team total');
    expect((await cells(totals))[0]).toBe('2');
    await fullPageShot(page, 'oncall-health.png');

    // In Japanese.
    await page.getByRole('button', { name: '日本語', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'オンコールの健全性', level: 1 }));
    await hasText(totals, 'チーム合計');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'On-call health', level: 1 }));

    expect(errors).toEqual([]);
  }, 120_000);

  // Goes on from the tests above. The list and a page's view follow changes made elsewhere as they
  // happen: the stream, not the poll (5 s without the stream, 30 s with it), brings them.
  it('shows a page started and acknowledged elsewhere within moments', async () => {
    const errors: string[] = [];
    watchErrors(page, errors);
    const origin = new URL(page.url()).origin;
    const request = page.context().request;
    const { csrfToken, user } = await (await request.get(`${origin}/api/v1/session`)).json() as { csrfToken: string; user: { id: string } };
    expect((await request.post(`${origin}/api/v1/teams`, { headers: { 'x-csrf-token': csrfToken }, data: { name: 'Nobody home' } })).status()).toBe(201);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pages', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'My pages', level: 2 }));
    await page.waitForTimeout(500); // the stream connects
    const started = await request.post(`${origin}/api/v1/pages`, { headers: { 'x-csrf-token': csrfToken }, data: { title: 'Replica lag over 30 s', target: { type: 'user', id: user.id } } });
    expect(started.status()).toBe(201);
    const { id } = await started.json() as { id: string };
    const row = page.getByTestId('my-pages').getByTestId('page-row').filter({ hasText: 'Replica lag over 30 s' });
    await expect.poll(() => row.count(), { timeout: 3_000 }).toBe(1);
    expect((await request.post(`${origin}/api/v1/pages/${id}/acknowledge`, { headers: { 'x-csrf-token': csrfToken } })).status()).toBe(200);
    await expect.poll(async () => (await row.textContent()) ?? '', { timeout: 3_000 }).toContain('Acknowledged');

    // Paging a team with nobody in it says that nobody was reached.
    await page.getByRole('button', { name: 'Page someone' }).click();
    const someone = page.getByTestId('page-someone');
    await someone.getByLabel('Title').fill('Anyone there?');
    await someone.getByLabel('Who to page').selectOption({ label: 'A team' });
    await someone.getByLabel('Team', { exact: true }).selectOption({ label: 'Nobody home' });
    await someone.getByRole('button', { name: 'Page now' }).click();
    await hasText(someone, 'Paged: Anyone there?.');
    await hasText(someone.getByTestId('nobody-reached'), 'Nobody at its first level could be notified');
    expect(errors).toEqual([]);
  }, 60_000);
});
