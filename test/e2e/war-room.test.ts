// The war room in a real Chromium against a real server: setup → declare → task → decision →
// public update → resolve, as a person would do it, with the keyboard where the UI promises it.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/serve.js';
import { BROWSER_AVAILABLE, type BrowserSession, createFirstAdmin, hasText, ROOT, startBrowserSession, visible, watchErrors } from './browser.js';

let server: RunningServer;
let browser: Browser;
let page: Page;
/** A second tab on the incident list, to see it update live. */
let watcher: Page;
let session: BrowserSession;

describe.runIf(BROWSER_AVAILABLE)('war room in the browser', () => {
  beforeAll(async () => {
    session = await startBrowserSession();
    ({ server, browser, page } = session);
  }, 180_000);
  afterAll(async () => session?.close());

  it('runs an incident from declaration to resolution', async () => {
    const errors: string[] = [];
    // The task without a purpose is refused on purpose: only script errors and server failures count.
    watchErrors(page, errors);

    // First start: the one-time setup link creates the admin and signs in.
    const origin = await createFirstAdmin(page, server.setupUrl);
    expect(new URL(page.url()).pathname).toBe('/');

    // A second window watches the list; it must learn of the new incident without a reload.
    // A window of its own (a background tab would be throttled), signed in with the same cookie.
    const watcherContext = await browser.newContext({ viewport: { width: 1200, height: 800 }, locale: 'en-US', colorScheme: 'dark' });
    await watcherContext.addCookies(await page.context().cookies());
    watcher = await watcherContext.newPage();
    watcher.setDefaultTimeout(10_000);
    await watcher.goto(`${origin}/`);
    await visible(watcher.getByText('No incidents here'));

    // "n" opens the declare dialog from the list.
    await page.locator('body').press('n');
    const dialog = page.getByRole('dialog', { name: 'Declare an incident' });
    await visible(dialog);
    await dialog.getByLabel('Title', { exact: true }).fill('Checkout fails for card payments');
    await dialog.getByRole('radio', { name: /SEV1/ }).check();
    await dialog.getByLabel('Summary').fill('Payment API answers 502 since 01:58');
    await dialog.getByLabel('Affected services').fill('checkout, payments-api');
    await dialog.getByRole('button', { name: 'Declare' }).click();
    await page.waitForURL(/\/incidents\/INC-1$/);
    await visible(page.getByRole('heading', { name: 'Checkout fails for card payments', level: 1 }));
    await hasText(page.getByTestId('clock-first-public'), /due in \d+:\d\d/);
    await visible(watcher.getByRole('link', { name: 'Checkout fails for card payments' }));

    // A task without a purpose is refused by the server, and its message shows beside the field.
    const taskForm = page.getByTestId('task-form');
    await taskForm.getByLabel('Who').selectOption({ label: 'Aiko Tanaka (me)' });
    await taskForm.getByLabel('What to do').fill('Roll back payments-api to v41');
    await taskForm.getByRole('button', { name: 'Assign task' }).click();
    await hasText(page.getByTestId('error-task-purpose'), /a task needs a purpose/);

    await taskForm.getByLabel('For what purpose (why)').fill('Restore card payments');
    await taskForm.getByRole('button', { name: 'Assign task' }).click();
    await hasText(page.getByTestId('tasks-open').getByTestId('task-card'), 'Roll back payments-api to v41');
    await expect.poll(() => page.getByTestId('error-task-purpose').count()).toBe(0);

    // A decision with the risk accepted.
    const decisionForm = page.getByTestId('decision-form');
    await decisionForm.getByLabel('Decision', { exact: true }).fill('Roll back payments-api');
    await decisionForm.getByLabel('Why', { exact: true }).fill('v42 went out at 01:55, errors began at 01:58');
    await decisionForm.getByLabel('Risk accepted').fill('Refund fix in v42 is lost until re-deployed');
    await decisionForm.getByRole('button', { name: 'Record decision' }).click();
    await hasText(page.getByTestId('decisions'), 'Refund fix in v42 is lost until re-deployed');

    // The public update: the preview shows the phase prefix in both languages.
    const composer = page.getByTestId('composer');
    await page.getByRole('tab', { name: 'Public' }).click();
    await composer.getByLabel('Message').fill('Card payments are failing. We are working on it.');
    await hasText(page.getByTestId('preview-en'), '[Investigating] Card payments are failing.');
    await hasText(page.getByTestId('preview-ja'), '【調査中】');
    await composer.getByRole('button', { name: 'Post to Public' }).click();
    await hasText(page.getByTestId('updates-public'), '[Investigating] Card payments are failing.');
    // Until outbound channels exist, the commander copies the rendering into chat: the Japanese one here.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    await page.getByTestId('updates-public').getByRole('button', { name: 'Copy 日本語' }).first().click();
    await hasText(page.getByTestId('updates-public'), 'Copied');
    expect(await page.evaluate('navigator.clipboard.readText()')).toMatch(/^【調査中】Card payments are failing\./);
    await hasText(page.getByTestId('clock-first-public'), 'sent after');

    // Resolve.
    await page.getByRole('button', { name: 'Resolve' }).click();
    await visible(page.getByRole('button', { name: 'Reopen' }));

    // The timeline holds every step.
    const timeline = page.getByTestId('timeline');
    for (const kind of ['incident.declared', 'task.created', 'decision.recorded', 'update.posted']) {
      await visible(timeline.locator(`li[data-kind="${kind}"]`).first());
    }
    await expect.poll(() => timeline.locator('li[data-kind="phase.changed"]').filter({ hasText: /resolved/i }).count()).toBe(1);

    // Star the task; "starred only" keeps starred events alone.
    const taskEvent = timeline.locator('li[data-kind="task.created"]');
    await taskEvent.getByRole('button', { name: 'Star' }).click();
    await expect.poll(() => taskEvent.getByRole('button', { name: 'Unstar' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByLabel('Starred only').check();
    await visible(timeline.locator('li[data-kind="task.created"]'));
    await expect.poll(() => timeline.locator('li[data-kind="incident.declared"]').count()).toBe(0);
    await expect.poll(async () => (await timeline.locator('li').count()) === (await timeline.locator('li.starred').count())).toBe(true);
    await page.getByLabel('Starred only').uncheck();

    // The header switches the language; the timeline comes back in Japanese words.
    await page.getByRole('button', { name: '日本語', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'タイムライン', exact: true }));
    await visible(page.getByRole('button', { name: '再オープン' }));
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'Timeline', exact: true }));

    await page.screenshot({ path: join(ROOT, 'test-results/war-room.png'), fullPage: true });
    expect(errors).toEqual([]);
  }, 120_000);
});
