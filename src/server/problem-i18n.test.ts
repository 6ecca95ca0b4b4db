// Problem documents in the reader's language: a Japanese user reads Japanese errors beside the fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/support/server.js';
import { fieldMessageJa, localeFromHeader } from './problem-i18n.js';

describe('problems in Japanese (sqlite)', () => {
  let ts: TestServer;
  let ref: string;
  const ja = { 'accept-language': 'ja' };
  beforeAll(async () => {
    ts = await startTestServer('sqlite');
    ref = (await ts.call('POST', '/api/v1/incidents', { token: ts.admin.token, body: { title: 'x', severity: 'SEV3' } })).body.ref;
  });
  afterAll(async () => ts?.close());

  it('puts our own field messages and the title into Japanese', async () => {
    const res = await ts.call('POST', `/api/v1/incidents/${ref}/tasks`, { token: ts.admin.token, headers: ja, body: { ownerId: ts.admin.id, action: 'ログを見る' } });
    expect(res.status).toBe(400);
    expect(res.body.title).toBe('入力内容に誤りがあります');
    expect(res.body.errors).toEqual([{ field: 'body.purpose', message: 'タスクには目的（何のために）が必要です' }]);
    expect(res.body.detail).toBe('body.purpose: タスクには目的（何のために）が必要です');
  });

  it('puts the validator’s own messages into Japanese', async () => {
    const res = await ts.call('POST', '/api/v1/incidents', { token: ts.admin.token, headers: ja, body: { severity: 'SEV9', title: 5, extra: 1 } });
    const byField = Object.fromEntries(res.body.errors.map((e: any) => [e.field, e.message]));
    expect(byField['body.severity']).toBe('次のいずれかを指定してください: SEV1, SEV2, SEV3, SEV4');
    expect(byField['body.title']).toBe('種類が違います（string を指定してください）');
    expect(byField['body.extra']).toBe('不明な項目です');
  });

  it('says domain refusals in Japanese', async () => {
    const same = await ts.call('POST', `/api/v1/incidents/${ref}/phase`, { token: ts.admin.token, headers: ja, body: { phase: 'investigating' } });
    expect(same.body.title).toBe('そのフェーズには移れません');
    expect(same.body.detail).toBe(`${ref} はすでに 【調査中】 です`);
    expect(same.body.errors[0].message).toBe('investigating から investigating には移れません');
    const missing = await ts.call('GET', '/api/v1/incidents/INC-999', { token: ts.admin.token, headers: ja });
    expect(missing.body.detail).toBe('インシデント INC-999 は存在しません');
    const noAuth = await ts.call('GET', '/api/v1/incidents', { headers: ja });
    expect(noAuth.body.title).toBe('サインインが必要です');
  });

  it('keeps English for everyone else', async () => {
    const res = await ts.call('POST', `/api/v1/incidents/${ref}/tasks`, { token: ts.admin.token, headers: { 'accept-language': 'en-US,ja;q=0.5' }, body: { ownerId: ts.admin.id, action: 'a' } });
    expect(res.body.title).toBe('Invalid request');
    expect(res.body.errors[0].message).toBe('a task needs a purpose: why it is done');
  });
  it('says on-call and paging refusals in Japanese', async () => {
    const schedule = await ts.call('POST', '/api/v1/schedules', {
      token: ts.admin.token, headers: ja,
      body: { name: 'x', timeZone: 'UTC', layers: [{ name: 'L', start: '2026-11-23 09:00', turn: { length: 1, unit: 'weeks' }, participants: ['ghost'] }] },
    });
    const byField = Object.fromEntries(schedule.body.errors.map((e: any) => [e.field, e.message]));
    expect(byField['body.layers.0.start']).toBe('2026-11-23T09:00 のような現地の日付と時刻で指定してください');
    const policy = await ts.call('POST', '/api/v1/escalation-policies', { token: ts.admin.token, headers: ja, body: { name: 'p', levels: [{ targets: [{ type: 'schedule', id: 'nope' }], timeoutMinutes: 5 }] } });
    expect(policy.body.errors[0].message).toBe('そのスケジュールは存在しません');
    const route = await ts.call('PUT', '/api/v1/alert-routes', { token: ts.admin.token, headers: ja, body: { routes: [{ name: 'r', escalationPolicy: 'nope' }] } });
    expect(route.body.errors[0].message).toBe('ID が nope のエスカレーションポリシーはありません');
    const missing = await ts.call('GET', '/api/v1/schedules/nope', { token: ts.admin.token, headers: ja });
    expect(missing.body.detail).toBe('スケジュール nope は存在しません');
    expect(fieldMessageJa('must be an https URL')).toBe('https の URL を指定してください');
  });
});

describe('message helpers', () => {
  it('reads the first language of Accept-Language', () => {
    expect(localeFromHeader('ja-JP,en;q=0.8')).toBe('ja');
    expect(localeFromHeader('en')).toBe('en');
    expect(localeFromHeader(undefined)).toBe('en');
  });
  it('says "required" for a missing value and leaves unknown messages as they are', () => {
    expect(fieldMessageJa('Invalid input: expected string, received undefined', { code: 'invalid_type', expected: 'string' })).toBe('必須です');
    expect(fieldMessageJa('something new')).toBe('something new');
  });

});
