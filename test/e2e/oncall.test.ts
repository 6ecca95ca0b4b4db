// On-call schedules in a real Chromium against a real server: an admin makes a weekly rotation of two
// people through the form (refused first with the server's words beside the layer), sees who is on
// call on the timeline and now, overrides it with the other person, subscribes a calendar app to the
// schedule (the URL answers iCalendar), finds the box on the incidents page, manages feeds on the
// profile, and reads the page in Japanese.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server/serve.js';
import { BROWSER_AVAILABLE, type BrowserSession, createFirstAdmin, fullPageShot, hasText, startBrowserSession, visible, watchErrors } from './browser.js';

const HOUR = 3_600_000;
const ZONE = 'Asia/Tokyo';

let server: RunningServer;
let page: Page;
let session: BrowserSession;

/** "2026-11-23" and "2026-11-23T14:05" on Tokyo's wall clock (what date and datetime-local inputs take). */
const tokyo = (ms: number) => {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).formatToParts(ms).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, local: `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}` };
};

describe.runIf(BROWSER_AVAILABLE)('on-call schedules in the browser', () => {
  beforeAll(async () => {
    session = await startBrowserSession();
    ({ server, page } = session);
  }, 180_000);
  afterAll(async () => session?.close());

  it('rotates two people weekly, overrides one, and feeds a calendar', async () => {
    const errors: string[] = [];
    watchErrors(page, errors);
    const origin = await createFirstAdmin(page, server.setupUrl);

    // Two responders, made with the admin's session (cookie + CSRF header), as the UI would.
    const request = page.context().request;
    const { csrfToken } = await (await request.get(`${origin}/api/v1/session`)).json() as { csrfToken: string };
    for (const [email, name] of [['bea@example.com', 'Bea Suzuki'], ['ken@example.com', 'Ken Sato']]) {
      const res = await request.post(`${origin}/api/v1/users`, {
        headers: { 'x-csrf-token': csrfToken },
        data: { email, name, role: 'responder', password: 'responder password 123', locale: 'en', timeZone: ZONE },
      });
      expect(res.status()).toBe(201);
    }
    await page.reload();

    // No schedules yet: the incidents page shows no on-call box.
    await visible(page.getByRole('heading', { name: 'Incidents', level: 1 }));
    expect(await page.getByTestId('oncall-box').count()).toBe(0);

    // A new schedule from the header's On-call page: one weekly layer, handing off at 09:00 yesterday.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'On-call' }).click();
    await visible(page.getByRole('heading', { name: 'On-call schedules', level: 1 }));
    await visible(page.getByText('No schedules yet.'));
    await page.getByRole('button', { name: 'New schedule' }).click();
    const form = page.getByTestId('new-schedule-form');
    await form.getByLabel('Schedule name').fill('Payments primary');
    await form.getByLabel('Time zone').fill(ZONE);
    const layer = form.getByRole('group', { name: '1. Layer 1' });
    expect(await layer.getByLabel('Rotation').inputValue()).toBe('weekly');
    await layer.getByLabel('First hand-off date').fill(tokyo(Date.now() - 24 * HOUR).date);
    await layer.getByLabel('Hand-off time').fill('09:00');

    // Without participants the server refuses, and says so beside the layer's participants.
    await form.getByRole('button', { name: 'Create schedule' }).click();
    await hasText(layer.locator('fieldset.participants .field-error'), 'a layer needs at least one participant');

    for (const name of ['Bea Suzuki', 'Ken Sato']) {
      await layer.getByLabel('Add a participant').selectOption({ label: name });
      await layer.getByRole('button', { name: 'Add to Layer 1' }).click();
    }
    await visible(layer.getByRole('button', { name: 'Move Ken Sato up in Layer 1' }));
    await visible(layer.getByRole('button', { name: 'Remove Bea Suzuki from Layer 1' }));
    await fullPageShot(page, 'oncall-new-schedule.png');
    await form.getByRole('button', { name: 'Create schedule' }).click();

    // The schedule's page: Bea holds the first week, on the final schedule and now.
    await visible(page.getByRole('heading', { name: 'Payments primary', level: 1 }));
    expect(new URL(page.url()).pathname).toMatch(/^\/schedules\/[^/]+$/);
    const finalRow = page.getByTestId('timeline-final');
    await hasText(finalRow.getByTestId('timeline-bar').first(), 'Bea Suzuki');
    await hasText(page.getByTestId('timeline-layer').first(), 'Ken Sato');
    await hasText(page.getByTestId('timeline'), `times in ${ZONE}`);
    const onCallNow = page.getByTestId('oncall-now');
    await hasText(onCallNow, 'Bea Suzuki');

    // Ken takes over from an hour ago for three hours: an override, on top of everything.
    await page.getByRole('button', { name: 'Add override' }).click();
    const overrideForm = page.getByTestId('override-form');
    await overrideForm.getByLabel('Who is on call instead').selectOption({ label: 'Ken Sato' });
    await overrideForm.getByLabel(`From (${ZONE})`).fill(tokyo(Date.now() - HOUR).local);
    await overrideForm.getByLabel(`Until (${ZONE})`).fill(tokyo(Date.now() + 3 * HOUR).local);
    await overrideForm.getByLabel('Note').fill('Bea is at the dentist');
    await overrideForm.getByRole('button', { name: 'Save override' }).click();
    await hasText(finalRow.locator('.tl-override'), 'Ken Sato');
    await hasText(finalRow.locator('.tl-override'), 'Override');
    await hasText(onCallNow, 'Ken Sato');
    await hasText(onCallNow, 'Override');
    const overrideRow = page.getByTestId('override-row').first();
    await hasText(overrideRow, 'Ken Sato');
    await hasText(overrideRow, 'In effect');
    await hasText(overrideRow, 'Bea is at the dentist');
    // Bea is back on the final row after the override.
    expect(await finalRow.getByTestId('timeline-bar').filter({ hasText: 'Bea Suzuki' }).count()).toBeGreaterThanOrEqual(1);

    // Zoomed to one day and back.
    await page.getByRole('group', { name: 'Zoom' }).getByRole('button', { name: '1 day' }).click();
    await hasText(finalRow, 'Ken Sato');
    await fullPageShot(page, 'oncall-timeline-day.png');
    await page.getByRole('group', { name: 'Zoom' }).getByRole('button', { name: '14 days' }).click();
    const range = page.getByTestId('timeline-range');
    const thisPeriod = (await range.textContent()) ?? '';
    await page.getByRole('button', { name: 'Next 14 days' }).click();
    await expect.poll(() => range.textContent()).not.toBe(thisPeriod);
    await page.getByRole('button', { name: 'Today' }).click();
    await expect.poll(() => range.textContent()).toBe(thisPeriod);
    await hasText(finalRow.locator('.tl-override'), 'Ken Sato');

    // Ken first from now on: the layers change, the override stays on top.
    await page.getByRole('button', { name: 'Edit schedule' }).click();
    const editForm = page.getByTestId('edit-schedule-form');
    await editForm.getByRole('group', { name: '1. Layer 1' }).getByRole('button', { name: 'Move Ken Sato up in Layer 1' }).click();
    await editForm.getByRole('button', { name: 'Save schedule' }).click();
    const layers = page.getByTestId('schedule-layers');
    await hasText(layers, 'Saved');
    await hasText(layers, 'Ken Sato → Bea Suzuki');
    // Bea's turn ends at the edit (a sliver since the schedule was made), Ken's starts there.
    const today = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, month: 'short', day: 'numeric' }).format(Date.now());
    await hasText(page.getByTestId('timeline-layer').first().getByTestId('timeline-bar').nth(1), `Ken Sato: ${today}`);
    await hasText(finalRow.locator('.tl-override'), 'Ken Sato');

    // Subscribe: the URL is shown once and answers iCalendar.
    await page.getByRole('button', { name: 'Create a calendar feed' }).click();
    const feedPanel = page.getByTestId('feed-url-panel');
    await hasText(feedPanel, 'it will not be shown again');
    await visible(feedPanel.getByRole('button', { name: 'Copy the calendar address' }));
    const url = (await page.getByTestId('feed-url').textContent()) ?? '';
    expect(url).toMatch(/^http:\/\/.+\/calendar\/.+/);
    const ics = await fetch(url);
    expect(ics.status).toBe(200);
    expect(ics.headers.get('content-type')).toMatch(/^text\/calendar/);
    const body = await ics.text();
    expect(body).toContain('BEGIN:VCALENDAR');
    expect(body).toContain('Ken Sato');
    await fullPageShot(page, 'oncall-schedule.png');

    // The incidents page has the on-call box, linking to the schedule.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incidents' }).click();
    const box = page.getByTestId('oncall-box');
    await hasText(box, 'Ken Sato');
    await visible(box.getByRole('link', { name: 'Payments primary' }));
    await fullPageShot(page, 'oncall-incidents-box.png');

    // The profile: no shifts for the admin, a feed of my own shifts, and the schedule's feed revoked.
    await page.getByRole('banner').getByRole('link', { name: 'Aiko Tanaka' }).click();
    await visible(page.getByRole('heading', { name: 'Profile', level: 1 }));
    await hasText(page.getByTestId('my-shifts'), 'You are not on call in the next 14 days.');
    const feeds = page.getByTestId('calendar-feeds');
    await feeds.getByRole('button', { name: 'Feed of my shifts' }).click();
    await visible(feeds.getByTestId('feed-url'));
    await expect.poll(() => feeds.getByTestId('feed-row').count()).toBe(2);
    await feeds.getByTestId('feed-row').filter({ hasText: 'Schedule “Payments primary”' }).getByRole('button', { name: /^Revoke the feed/ }).click();
    await expect.poll(() => feeds.getByTestId('feed-row').count()).toBe(1);
    expect((await fetch(url)).status).toBe(404);
    await fullPageShot(page, 'oncall-profile.png');

    // In Japanese.
    await page.getByRole('button', { name: '日本語', exact: true }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'オンコール' }).click();
    await visible(page.getByRole('heading', { name: 'オンコールスケジュール', level: 1 }));
    await page.getByTestId('schedules').getByRole('link', { name: 'Payments primary' }).click();
    await visible(page.getByRole('heading', { name: '現在のオンコール', level: 2 }));
    await visible(page.getByText('最終スケジュール', { exact: true }));
    await fullPageShot(page, 'oncall-schedule-ja.png');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'On call now', level: 2 }));

    expect(errors).toEqual([]);
  }, 180_000);
});
