// The admin pages in a real Chromium against a real server: incident settings (saved, used by the
// declare dialog, refused with the server's words beside the field), teams, and a viewer's read-only war room.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/serve.js';
import { BROWSER_AVAILABLE, type BrowserSession, createFirstAdmin, fullPageShot, hasText, ROOT, startBrowserSession, visible, watchErrors } from './browser.js';

const SEV2_TEXT = 'Major: checkout, sign-in or payments broken for many customers';

let server: RunningServer;
let browser: Browser;
let page: Page;
let session: BrowserSession;

describe.runIf(BROWSER_AVAILABLE)('admin settings, teams and the read-only war room in the browser', () => {
  beforeAll(async () => {
    session = await startBrowserSession();
    ({ server, browser, page } = session);
  }, 180_000);
  afterAll(async () => session?.close());

  it('edits the incident settings, manages a team, and shows a viewer a read-only war room', async () => {
    const errors: string[] = [];
    watchErrors(page, errors);

    // First start: the one-time setup link creates the admin and signs in.
    const origin = await createFirstAdmin(page, server.setupUrl);

    // Settings, from the header: change SEV2's description and the first public update target.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await visible(page.getByRole('heading', { name: 'Incident settings', level: 1 }));
    expect(new URL(page.url()).pathname).toBe('/admin/settings');
    await page.getByLabel('SEV2 description', { exact: true }).fill(SEV2_TEXT);
    await page.getByLabel('First public update target').fill('15');
    // A custom incident role: typed loosely, kept as a lowercase id; a bad id is refused before saving.
    await page.getByLabel('New role id').fill('9 lives');
    await page.getByRole('button', { name: 'Add role' }).click();
    await hasText(page.getByTestId('error-set-new-role'), 'lowercase letters');
    await page.getByLabel('New role id').fill('Customer Support');
    await page.getByRole('button', { name: 'Add role' }).click();
    await hasText(page.getByTestId('role-settings').locator('li').nth(4), 'customer-support');
    await page.getByRole('button', { name: 'Move customer-support up' }).click();
    await hasText(page.getByTestId('role-settings').locator('li').nth(3), 'customer-support');
    expect(await page.getByRole('button', { name: 'Remove Commander' }).isDisabled()).toBe(true);
    await hasText(page.getByTestId('save-bar'), 'Unsaved changes');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await hasText(page.getByTestId('save-bar'), 'Settings saved');

    // The template preview renders the sample incident with the server's own function.
    await hasText(page.getByTestId('template-preview-en'), '[Investigating] Card payments are failing.');
    await hasText(page.getByTestId('template-preview-ja'), '【調査中】');
    await fullPageShot(page, 'settings.png');

    // The declare dialog reads the refreshed settings: the new description is there, no reload needed.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incidents' }).click();
    await visible(page.getByRole('heading', { name: 'Incidents', level: 1 }));
    await page.getByTestId('declare-open').click();
    const dialog = page.getByRole('dialog', { name: 'Declare an incident' });
    await visible(dialog);
    await visible(dialog.getByText(SEV2_TEXT));
    await dialog.getByLabel('Title', { exact: true }).fill('Card payments fail at checkout');
    await dialog.getByRole('radio', { name: /SEV2/ }).check();
    await dialog.getByRole('button', { name: 'Declare' }).click();
    await page.waitForURL(/\/incidents\/INC-1$/);
    // The new 15-minute target: the first public update is due in 14:xx or 15:00.
    await hasText(page.getByTestId('clock-first-public'), /due in (14:\d\d|15:00)/);
    // …and the war room offers the new role, in the saved order.
    await visible(page.getByTestId('role-customer-support'));

    // A template with an unknown placeholder: the server refuses it, and says so beside that template.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await visible(page.getByRole('heading', { name: 'Incident settings', level: 1 }));
    await page.getByRole('tab', { name: 'Public' }).click();
    const publicEn = page.getByTestId('template-public-en');
    await publicEn.getByLabel('English template').fill('{{prefix}} {{body}} {{nope}}');
    await hasText(publicEn, 'Unknown placeholder: {{nope}}');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await hasText(page.getByTestId('error-set-template-public-en'), 'unknown placeholder {{nope}}');
    await hasText(page.getByTestId('save-bar'), 'Not saved');
    expect(await page.getByTestId('template-public-ja').getByRole('alert').count()).toBe(0);
    await fullPageShot(page, 'settings-error.png');

    // Reset to defaults fills the form with the installation defaults; discarding goes back to what is saved.
    await page.getByRole('button', { name: 'Reset to defaults' }).click();
    await expect.poll(() => page.getByLabel('SEV2 description', { exact: true }).inputValue()).toMatch(/^Major: a core feature/);
    await expect.poll(() => page.getByLabel('First public update target').inputValue()).toBe('10');
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await expect.poll(() => page.getByLabel('SEV2 description', { exact: true }).inputValue()).toBe(SEV2_TEXT);

    // Teams: create one and join it.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Teams' }).click();
    await visible(page.getByRole('heading', { name: 'Teams', level: 1 }));
    await page.getByLabel('Team name').fill('Payments SRE');
    await page.getByRole('button', { name: 'Create team' }).click();
    const team = page.getByTestId('team').filter({ hasText: 'Payments SRE' });
    await visible(team);
    await hasText(team, 'No members yet.');
    await team.getByLabel('Add a member to Payments SRE').selectOption({ label: 'Aiko Tanaka (me)' });
    await team.getByRole('button', { name: 'Add member' }).click();
    await hasText(team.getByRole('list', { name: 'Members' }), 'Aiko Tanaka (me)');
    await hasText(team, 'Members: 1');
    await fullPageShot(page, 'teams.png');

    // The same pages in Japanese.
    await page.getByRole('button', { name: '日本語', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'チーム', level: 1 }));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: '設定' }).click();
    await visible(page.getByRole('heading', { name: 'インシデント設定', level: 1 }));
    await hasText(page.getByTestId('template-preview-ja'), '【調査中】');
    await fullPageShot(page, 'settings-ja.png');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'Incident settings', level: 1 }));

    // A viewer, created with the admin's session (cookie + CSRF header), as the UI would.
    const request = page.context().request;
    const session = await (await request.get(`${origin}/api/v1/session`)).json() as { csrfToken: string };
    const created = await request.post(`${origin}/api/v1/users`, {
      headers: { 'x-csrf-token': session.csrfToken },
      data: { email: 'vera@example.com', name: 'Vera Viewer', role: 'viewer', password: 'viewer password 123', locale: 'en', timeZone: 'Asia/Tokyo' },
    });
    expect(created.status()).toBe(201);

    // The viewer signs in in a window of their own and follows the incident, without any controls.
    const viewerContext = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-US', timezoneId: 'Asia/Tokyo', colorScheme: 'dark' });
    const viewer = await viewerContext.newPage();
    viewer.setDefaultTimeout(10_000);
    watchErrors(viewer, errors);
    await viewer.goto(`${origin}/`);
    await viewer.getByLabel('E-mail').fill('vera@example.com');
    await viewer.getByLabel('Password').fill('viewer password 123');
    await viewer.getByRole('button', { name: 'Sign in' }).click();
    await visible(viewer.getByRole('heading', { name: 'Incidents', level: 1 }));
    await visible(viewer.getByTestId('read-only'));
    expect(await viewer.getByTestId('declare-open').count()).toBe(0);
    expect(await viewer.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    await viewer.locator('body').press('n');
    expect(await viewer.getByRole('dialog').count()).toBe(0);

    await viewer.getByRole('link', { name: 'Card payments fail at checkout' }).click();
    await viewer.waitForURL(/\/incidents\/INC-1$/);
    await visible(viewer.getByTestId('war-room'));
    await visible(viewer.getByTestId('read-only'));
    await visible(viewer.getByTestId('timeline').locator('li[data-kind="incident.declared"]'));
    await visible(viewer.getByRole('heading', { name: 'Status update' }));
    for (const id of ['composer', 'task-form', 'decision-form']) expect(await viewer.getByTestId(id).count(), id).toBe(0);
    for (const name of ['Acknowledge', 'Resolve', 'Join the response', 'Add note', 'Star', 'Edit details']) {
      expect(await viewer.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    }
    expect(await viewer.getByLabel('Add a note').count()).toBe(0);
    expect(await viewer.locator('[data-testid="war-room"] select, [data-testid="war-room"] textarea').count()).toBe(0);
    await viewer.screenshot({ path: join(ROOT, 'test-results/war-room-viewer.png'), fullPage: true });

    expect(errors).toEqual([]);
  }, 120_000);
});
