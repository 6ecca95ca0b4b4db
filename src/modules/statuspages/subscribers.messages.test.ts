// The pure parts of subscriptions: signed links, which maintenance jobs are stale, and the wording
// of messages and pages in English and Japanese.
import { describe, expect, it } from 'vitest';
import type { StatusMaintenancesTable } from '../../storage/schema.js';
import { maintenanceJobIsStale } from './subscribers.notify.js';
import { confirmMessage, formatTime, incidentMessage, maintenanceMessage } from './subscribers.messages.js';
import { renderSubscriberPage } from './subscribers.pages.js';
import { PageStateCache, STATE_TTL_MS } from './subscribers.state-cache.js';
import { CONFIRM_TTL_MS, SubscriberTokens } from './subscribers.tokens.js';
import type { PageState } from './model.js';

describe('subscriber tokens', () => {
  const tokens = new SubscriberTokens(Buffer.alloc(32, 7));
  const now = Date.parse('2026-11-23T00:00:00Z');

  it('a confirmation token names its subscriber on its page for 48 hours', () => {
    const t = tokens.issue('confirm', 'page1', 'sub1', now);
    expect(tokens.verify('confirm', 'page1', t, now + CONFIRM_TTL_MS - 1000)).toBe('sub1');
    expect(tokens.verify('confirm', 'page1', t, now + CONFIRM_TTL_MS + 1000)).toBeNull();
    expect(tokens.verify('confirm', 'page2', t, now)).toBeNull();
    expect(tokens.verify('unsubscribe', 'page1', t, now)).toBeNull();
  });

  it('an unsubscribe token never expires; any change to it, or another key, is refused', () => {
    const t = tokens.issue('unsubscribe', 'page1', 'sub1');
    expect(tokens.verify('unsubscribe', 'page1', t, now + 10 * 365 * 24 * 3600_000)).toBe('sub1');
    expect(new SubscriberTokens(Buffer.alloc(32, 8)).verify('unsubscribe', 'page1', t)).toBeNull();
    for (const bad of [t.replace('sub1', 'sub2'), t.replace('.0.', '.9.'), t.slice(0, -1) + (t.endsWith('A') ? 'B' : 'A'), `${t}x`, '', 'u.sub1.0', null, 42, [t]]) {
      expect(tokens.verify('unsubscribe', 'page1', bad)).toBeNull();
    }
  });
});

describe('page states shared by the deliveries of one event', () => {
  it('loads a page once per event within a few seconds, again after that or after a failure', async () => {
    const cache = new PageStateCache();
    let loads = 0;
    const load = async () => ({ n: ++loads }) as unknown as PageState;
    const t = Date.parse('2026-11-23T00:00:00Z');
    const first = await Promise.all([1, 2, 3].map(() => cache.get('p1', 'update:u1', load, t)));
    expect(loads).toBe(1);
    expect(new Set(first).size).toBe(1);
    await cache.get('p1', 'update:u1', load, t + STATE_TTL_MS - 1);
    expect(loads).toBe(1);
    await cache.get('p1', 'update:u2', load, t);
    await cache.get('p2', 'update:u1', load, t);
    expect(loads).toBe(3);
    await cache.get('p1', 'update:u1', load, t + STATE_TTL_MS);
    expect(loads).toBe(4);
    await expect(cache.get('p3', 'e', async () => { throw new Error('db down'); }, t)).rejects.toThrow('db down');
    await cache.get('p3', 'e', load, t + 1);
    expect(loads).toBe(5);
  });
});

describe('stale maintenance jobs', () => {
  const m: StatusMaintenancesTable = {
    id: 'm1', page_id: 'p1', title: 'Upgrade', starts_at: '2026-11-23T10:00:00.000Z', ends_at: '2026-11-23T12:00:00.000Z',
    completed_at: null, cancelled_at: null, created_by: null, created_at: '2026-11-20T00:00:00.000Z', updated_at: '2026-11-20T00:00:00.000Z',
  };
  const before = Date.parse('2026-11-22T00:00:00Z');

  it('announces each milestone for the times the maintenance still has', () => {
    expect(maintenanceJobIsStale(m, { maintenanceId: 'm1', event: 'scheduled' }, before)).toBe(false);
    expect(maintenanceJobIsStale(m, { maintenanceId: 'm1', event: 'started', at: m.starts_at })).toBe(false);
    expect(maintenanceJobIsStale(m, { maintenanceId: 'm1', event: 'completed', at: m.ends_at })).toBe(false);
    expect(maintenanceJobIsStale(m, { maintenanceId: 'm1', event: 'update', updateId: 'u1' })).toBe(false);
  });

  it('skips a rescheduled time, a clock end after an early end, anything but "cancelled" once called off', () => {
    expect(maintenanceJobIsStale(m, { maintenanceId: 'm1', event: 'started', at: '2026-11-23T09:00:00.000Z' })).toBe(true);
    expect(maintenanceJobIsStale(m, { maintenanceId: 'm1', event: 'started', at: m.starts_at }, Date.now(), true)).toBe(true);
    const early = { ...m, completed_at: '2026-11-23T11:00:00.000Z' };
    expect(maintenanceJobIsStale(early, { maintenanceId: 'm1', event: 'completed', at: m.ends_at })).toBe(true);
    expect(maintenanceJobIsStale(early, { maintenanceId: 'm1', event: 'completed', at: early.completed_at })).toBe(false);
    const off = { ...m, cancelled_at: '2026-11-22T00:00:00.000Z' };
    for (const event of ['scheduled', 'started', 'completed', 'update'] as const) {
      expect(maintenanceJobIsStale(off, { maintenanceId: 'm1', event, at: m.starts_at, updateId: 'u1' }, before), event).toBe(true);
    }
    expect(maintenanceJobIsStale(off, { maintenanceId: 'm1', event: 'cancelled' })).toBe(false);
    expect(maintenanceJobIsStale(m, { maintenanceId: 'm1', event: 'cancelled' })).toBe(true);
    expect(maintenanceJobIsStale(m, { maintenanceId: 'm1', event: 'scheduled' }, Date.parse(m.starts_at) + 1)).toBe(true);
  });
});

describe('subscriber messages', () => {
  const page = { name: 'Acme Cloud', url: 'https://status.acme.example/', brandColor: '#0f766e', timeZone: 'Asia/Tokyo' };
  const recipient = (locale: 'en' | 'ja') => ({ locale, unsubscribeUrl: 'https://status.acme.example/unsubscribe?token=u.x.0.y', componentNames: ['API'] });
  const facts = { title: 'Login failures', phase: 'monitoring' as const, body: 'A fix is in place.', postedAt: '2026-11-23T05:00:00Z', url: 'https://status.acme.example/incidents/i1.html', components: ['API'] };

  it('states the phase in the subject in the reader’s language, and ends with how to unsubscribe', () => {
    const en = incidentMessage(page, recipient('en'), facts);
    expect(en.subject).toBe('[Monitoring] Login failures — Acme Cloud');
    expect(en.text).toContain('[Monitoring] A fix is in place.');
    expect(en.text).toContain('Posted: 2026-11-23 14:00 GMT+9');
    expect(en.text).toContain('Unsubscribe: https://status.acme.example/unsubscribe?token=u.x.0.y');
    expect(en.unsubscribeUrl).toBe('https://status.acme.example/unsubscribe?token=u.x.0.y');
    const ja = incidentMessage(page, recipient('ja'), facts);
    expect(ja.subject).toBe('【経過観察】Login failures — Acme Cloud');
    expect(ja.text).toContain('掲載日時: 2026-11-23 14:00 JST');
    expect(ja.text).toContain('配信停止: https://');
    expect(ja.html).toContain('<html lang="ja">');
  });

  it('keeps subjects on one line and escapes HTML, whatever a title holds', () => {
    const m = incidentMessage(page, recipient('en'), { ...facts, title: 'Bad\r\nBcc: x@y.z <script>', body: '<b>bold</b>' });
    expect(m.subject).toBe('[Monitoring] Bad Bcc: x@y.z <script> — Acme Cloud');
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('&lt;b&gt;bold&lt;/b&gt;');
  });

  it('words maintenance milestones and the confirmation in both languages', () => {
    const base = { title: 'DB upgrade', body: null, startsAt: '2026-11-23T01:00:00Z', endsAt: '2026-11-23T03:00:00Z', url: page.url, components: ['API'] };
    expect(maintenanceMessage(page, recipient('en'), { ...base, status: 'scheduled' }).subject).toBe('[Scheduled maintenance] DB upgrade — Acme Cloud');
    const ja = maintenanceMessage(page, recipient('ja'), { ...base, status: 'completed' });
    expect(ja.subject).toBe('【メンテナンス完了】DB upgrade — Acme Cloud');
    expect(ja.text).toContain('時間帯: 2026-11-23 10:00 JST – 2026-11-23 12:00 JST');
    const confirm = confirmMessage('ja', page, 'https://status.acme.example/subscriptions/confirm?token=c.x.1.y');
    expect(confirm.subject).toBe('Acme Cloud の更新通知の登録確認');
    expect(confirm.unsubscribeUrl).toBeUndefined();
    expect(formatTime('2026-11-23T00:00:00Z', 'Not/AZone', 'en')).toBe('2026-11-23 00:00 UTC');
  });

  it('pages link back relatively, in the reader’s language, and list what was wrong', () => {
    const look = { name: 'Acme <Cloud>', brandColor: '#0f766e', locale: 'en' as const };
    const refused = renderSubscriberPage({ kind: 'refused', errors: [{ field: 'email', message: 'must be an e-mail address such as name@example.com' }] }, 'ja', look, './');
    expect(refused).toContain('<a href="./ja/">Acme &lt;Cloud&gt; に戻る</a>');
    expect(refused).toContain('<strong>メールアドレス</strong>: name@example.com のようなメールアドレスを指定してください');
    const ask = renderSubscriberPage({ kind: 'unsubscribeAsk', action: 'unsubscribe?token=u.a.0.b"' }, 'en', look, './');
    expect(ask).toContain('<form method="post" action="unsubscribe?token=u.a.0.b&quot;">');
    expect(renderSubscriberPage({ kind: 'badLink' }, 'en', look, '../')).toContain('<a href="../">Back to Acme &lt;Cloud&gt;</a>');
    const confirm = renderSubscriberPage({ kind: 'confirmAsk', action: 'confirm?token=c.a.1.b' }, 'ja', look, '../');
    expect(confirm).toContain('<form method="post" action="confirm?token=c.a.1.b"><button type="submit">登録を確定する</button></form>');
    expect(confirm).not.toContain('<script');
  });
});
