// E-mail subscribers end to end, over real HTTP and a real SMTP server in-process, on SQLite and
// PostgreSQL: double opt-in (a button, never a bare GET), notifications of public updates, per-component
// filters, drills, one-click unsubscribe, links that outlive a renamed page, and refusals that store nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { housekeeping } from '../../jobs/background.js';
import { JobQueue } from '../../jobs/queue.js';
import { DATABASE_KINDS } from '../../../test/support/databases.js';
import { startTestServer, type TestServer } from '../../../test/support/server.js';
import { decodeHeader, type ReceivedMail, startTestSmtp, type TestSmtp, textOf } from '../../../test/support/smtp.js';
import {
  createPage, drain, linkedIncident, linkIn, postUpdate, publicRequest, rowCounts, type TestPage,
} from '../../../test/support/status-subscribers.js';

describe.each(DATABASE_KINDS)('status page e-mail subscribers (%s)', (kind) => {
  let ts: TestServer;
  let smtp: TestSmtp;
  let page: TestPage;
  let other: TestPage;

  beforeAll(async () => {
    smtp = await startTestSmtp();
    ts = await startTestServer(kind, {
      smtpUrl: smtp.url, mailFrom: 'Acme Status <status@acme.example>', publicUrl: 'http://status.test', subscribeRateLimitPerMinute: 1000,
    });
    page = await createPage(ts, 'acme', ['API', 'Website', 'Billing']);
    other = await createPage(ts, 'globex', ['Portal']);
  });
  afterAll(async () => {
    await ts?.close();
    await smtp?.close();
  });

  const mailsTo = (address: string): ReceivedMail[] => smtp.mails.filter((m) => m.to.includes(address));
  const signUp = (email: string, components: string[] = [], locale = 'en') =>
    publicRequest(ts, 'POST', '/status/acme/subscribe', { form: [['email', email], ...components.map((c): [string, string] => ['component', page.components[c]!]), ['locale', locale]] });
  /** Signs up, runs the jobs, opens the confirmation link from the mail and presses its button. */
  const subscribed = async (email: string, components: string[] = [], locale = 'en') => {
    expect((await signUp(email, components, locale)).status).toBe(200);
    await drain(ts);
    const mail = mailsTo(email).at(-1)!;
    const confirmed = await publicRequest(ts, 'POST', linkIn(textOf(mail), '/subscriptions/confirm'), { rawForm: '' });
    expect(confirmed.status).toBe(200);
    return mail;
  };
  const rowOf = (email: string) => ts.server.ctx.storage.db.selectFrom('status_subscribers').selectAll().where('target', '=', email).executeTakeFirstOrThrow();

  it('double opt-in: only the confirmation goes out until its button is pressed; then public updates arrive', async () => {
    const form = await signUp('ann@example.org', ['API']);
    expect(form.status).toBe(200);
    expect(form.type).toMatch(/^text\/html/);
    expect(form.text).toContain('Check your inbox');
    expect(form.text).toContain('Acme Cloud');
    const row = await ts.server.ctx.storage.db.selectFrom('status_subscribers').selectAll().where('target', '=', 'ann@example.org').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'email', confirmed_at: null, unsubscribed_at: null, locale: 'en', component_ids_json: JSON.stringify([page.components.API]) });

    const inc = await linkedIncident(ts, page, { title: 'db-7 disk full', publicTitle: 'Login failures', components: { API: 'major_outage' } });
    await postUpdate(ts, inc.ref, 'We are investigating failed logins.');
    await drain(ts);
    const before = mailsTo('ann@example.org');
    expect(before).toHaveLength(1);
    const confirmMail = before[0]!;
    expect(decodeHeader(confirmMail.headers.subject!)).toBe('Confirm your subscription to Acme Cloud');
    expect(confirmMail.headers['list-unsubscribe']).toBeUndefined();
    const link = linkIn(textOf(confirmMail), '/subscriptions/confirm');
    expect(link).toMatch(/^\/status\/acme\/subscriptions\/confirm\?token=c\./);

    // Opening the link (as a person, or a mail scanner such as Safe Links) only shows a button that posts back.
    const opened = await publicRequest(ts, 'GET', link);
    expect(opened.status).toBe(200);
    expect(opened.text).toContain('Confirm your subscription');
    expect(opened.text).toMatch(/<form method="post" action="confirm\?token=c\.[^"]+"><button type="submit">Confirm subscription<\/button><\/form>/);
    expect((await rowOf('ann@example.org')).confirmed_at).toBeNull();
    const action = new URL(/action="([^"]+)"/.exec(opened.text)![1]!.replace(/&amp;/g, '&'), `http://x${link}`);
    const confirmed = await publicRequest(ts, 'POST', action.pathname + action.search, { rawForm: '' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain('Subscription confirmed');
    expect((await rowOf('ann@example.org')).confirmed_at).not.toBeNull();
    expect((await publicRequest(ts, 'POST', link)).text).toContain('Already confirmed');
    expect((await publicRequest(ts, 'GET', link)).text).toContain('Already confirmed');

    await postUpdate(ts, inc.ref, 'The cause is a full disk; we are freeing space.', 'public', 'identified');
    await postUpdate(ts, inc.ref, 'Internal only: db-7 at 100%.', 'internal');
    await drain(ts);
    const after = mailsTo('ann@example.org');
    expect(after).toHaveLength(2);
    const note = after[1]!;
    expect(decodeHeader(note.headers.subject!)).toBe('[Identified] Login failures — Acme Cloud');
    const text = textOf(note);
    expect(text).toContain('[Identified] The cause is a full disk; we are freeing space.');
    expect(text).not.toContain('db-7');
    expect(text).toContain(`http://status.test/status/acme/incidents/${inc.id}.html`);
    expect(note.headers['list-unsubscribe']).toMatch(/^<http:\/\/status\.test\/status\/acme\/unsubscribe\?token=u\./);
    expect(note.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    const job = await ts.server.ctx.storage.db.selectFrom('jobs').select('id').where('id', '=', note.headers['x-hikeshi-delivery']!).executeTakeFirst();
    expect(job, 'the delivery id is the job id').toBeDefined();
    expect(note.headers['message-id']).toBe(`<${note.headers['x-hikeshi-delivery']}@acme.example>`);
  });

  it('answers the same whether the address is new, pending or already subscribed, and sends nothing to a subscribed one', async () => {
    await subscribed('dan@example.org');
    const sent = mailsTo('dan@example.org').length;
    const known = await signUp('dan@example.org');
    const fresh = await signUp('eve@example.org');
    expect(known.status).toBe(fresh.status);
    expect(known.text).toBe(fresh.text);
    const knownJson = await publicRequest(ts, 'POST', '/status/acme/subscribe', { json: { email: 'dan@example.org' } });
    const freshJson = await publicRequest(ts, 'POST', '/status/acme/subscribe', { json: { email: 'fay@example.org' } });
    expect(knownJson.status).toBe(202);
    expect(knownJson.text).toBe(freshJson.text);
    await drain(ts);
    expect(mailsTo('dan@example.org')).toHaveLength(sent);
    // Posting the form again for a pending address does not send a second confirmation within minutes.
    await signUp('eve@example.org');
    await drain(ts);
    expect(mailsTo('eve@example.org')).toHaveLength(1);
  });

  it('sends each subscriber only the components they follow; an address following everything gets all', async () => {
    await subscribed('bob@example.org', ['Billing']);
    await subscribed('cat@example.org', [], 'ja');
    const inc = await linkedIncident(ts, page, { title: 'web tier', publicTitle: 'Slow website', components: { Website: 'degraded_performance' } });
    await postUpdate(ts, inc.ref, 'Pages load slowly; we are looking into it.');
    await drain(ts);
    const bobCount = mailsTo('bob@example.org').length;
    expect(bobCount).toBe(1); // the confirmation only
    const cat = mailsTo('cat@example.org').at(-1)!;
    expect(decodeHeader(cat.headers.subject!)).toBe('【調査中】Slow website — Acme Cloud');
    expect(textOf(cat)).toContain('配信停止');
    expect(textOf(cat)).toContain('http://status.test/status/acme/ja/incidents/');

    const billing = await linkedIncident(ts, page, { title: 'psp', publicTitle: 'Card payments fail', components: { Billing: 'partial_outage', API: 'degraded_performance' } });
    await postUpdate(ts, billing.ref, 'Card payments are failing for some customers.');
    await drain(ts);
    const bob = mailsTo('bob@example.org');
    expect(bob).toHaveLength(2);
    expect(decodeHeader(bob[1]!.headers.subject!)).toBe('[Investigating] Card payments fail — Acme Cloud');
    expect(textOf(bob[1]!)).toContain('Affected: Billing');
    expect(textOf(bob[1]!)).not.toContain('API');
  });

  it('never sends anything for a drill', async () => {
    await subscribed('gus@example.org');
    const sent = smtp.mails.length;
    const drill = await linkedIncident(ts, page, { title: 'drill: dns', publicTitle: 'DNS failure (drill)', components: { API: 'major_outage' }, drill: true });
    const updateId = await postUpdate(ts, drill.ref, 'Drill: we are investigating DNS failures.');
    const fanOut = () => ts.server.ctx.storage.db.selectFrom('jobs').selectAll().where('dedup_key', '=', `statuspage.incident_update:${updateId}`).execute();
    expect(await fanOut()).toHaveLength(0);
    await drain(ts);
    expect(smtp.mails.length).toBe(sent);
    // Even a fan-out job that somehow exists for a drill's update sends nothing.
    await new JobQueue(ts.server.ctx.storage).enqueue({ kind: 'statuspage.incident_update', payload: { updateId }, dedupKey: `statuspage.incident_update:${updateId}` });
    await drain(ts);
    expect(smtp.mails.length).toBe(sent);
    expect((await fanOut())[0]!.status).toBe('done');
  });

  it('one-click unsubscribe: a POST to the List-Unsubscribe URL without cookies or CSRF token stops the mail', async () => {
    await subscribed('hal@example.org');
    const inc = await linkedIncident(ts, page, { title: 'x', publicTitle: 'API errors', components: { API: 'partial_outage' } });
    await postUpdate(ts, inc.ref, 'Some API calls fail.');
    await drain(ts);
    const note = mailsTo('hal@example.org').at(-1)!;
    const target = note.headers['list-unsubscribe']!.replace(/^<|>$/g, '');
    const path = new URL(target).pathname + new URL(target).search;

    const ask = await publicRequest(ts, 'GET', path);
    expect(ask.status).toBe(200);
    expect(ask.text).toMatch(/<form method="post" action="unsubscribe\?token=u\.[^"]+">/);
    // What Gmail and others send (RFC 8058): multipart/form-data with List-Unsubscribe=One-Click, and no cookies.
    const boundary = 'x-boundary';
    const multipart = `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`;
    const done = await publicRequest(ts, 'POST', path, { raw: multipart, type: `multipart/form-data; boundary=${boundary}` });
    expect(done.status).toBe(200);
    expect(done.text).toContain('You are unsubscribed');
    // Again, as a urlencoded form with a signed-in admin's session cookie and no CSRF header: still fine.
    const session = await fetch(`${ts.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@example.com', password: 'a long test password' }) });
    const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
    const again = await publicRequest(ts, 'POST', path, { rawForm: 'List-Unsubscribe=One-Click', headers: { cookie } });
    expect(again.status).toBe(200);
    const row = await ts.server.ctx.storage.db.selectFrom('status_subscribers').selectAll().where('target', '=', 'hal@example.org').executeTakeFirstOrThrow();
    expect(row.unsubscribed_at).not.toBeNull();

    const sent = mailsTo('hal@example.org').length;
    await postUpdate(ts, inc.ref, 'Still failing.');
    await drain(ts);
    expect(mailsTo('hal@example.org')).toHaveLength(sent);
    // The confirmation link of an address that unsubscribed does not sign it up again.
    const confirmLink = linkIn(textOf(mailsTo('hal@example.org')[0]!), '/subscriptions/confirm');
    expect((await publicRequest(ts, 'GET', confirmLink)).status).toBe(400);
    expect((await publicRequest(ts, 'POST', confirmLink)).status).toBe(400);
    expect((await rowOf('hal@example.org')).unsubscribed_at).not.toBeNull();
  });

  it('refuses malformed sign-ups, naming the problem, and stores nothing', async () => {
    const before = await rowCounts(ts);
    const big = await publicRequest(ts, 'POST', '/status/acme/subscribe', { form: [['email', 'ann@example.org'], ['component', 'x'.repeat(9000)]] });
    expect(big.status).toBe(413);
    expect(big.type).toMatch(/^text\/html/);
    const bigJson = await publicRequest(ts, 'POST', '/status/acme/subscribe', { json: { email: 'a@example.org', componentIds: ['x'.repeat(9000)] } });
    expect(bigJson.status).toBe(413);
    expect(bigJson.type).toMatch(/problem\+json/);

    const cases: [string, [string, string][], RegExp][] = [
      ['not an address', [['email', 'not-an-address']], /must be an e-mail address/],
      ['CR/LF header injection', [['email', 'ann@example.org\r\nBcc: victim@example.com']], /line breaks/],
      ['LF at the end', [['email', 'ann@example.org\n']], /line breaks/],
      ['display name', [['email', 'Ann <ann@example.org>']], /without a name/],
      ['two addresses', [['email', 'ann@example.org, victim@example.com']], /without a name/],
      ['e-mail given twice', [['email', 'ann@example.org'], ['email', 'victim@example.com']], /give it once/],
      ['no e-mail', [['locale', 'en']], /must not be empty/],
      ['unknown component', [['email', 'ann@example.org'], ['component', 'nope']], /not a component of this page/],
      ["another page's component", [['email', 'ann@example.org'], ['component', other.components.Portal!]], /not a component of this page/],
      ['bad locale', [['email', 'ann@example.org'], ['locale', 'fr']], /must be en or ja/],
      ['NUL', [['email', 'ann@example.org\u0000']], /NUL|line breaks/],
    ];
    for (const [what, form, message] of cases) {
      const res = await publicRequest(ts, 'POST', '/status/acme/subscribe', { form });
      expect(res.status, what).toBe(400);
      expect(res.type, what).toMatch(/^text\/html/);
      expect(res.text, what).toMatch(message);
    }
    // Percent-encoded CR/LF, as a hand-made request would send it.
    expect((await publicRequest(ts, 'POST', '/status/acme/subscribe', { rawForm: 'email=ann%40example.org%0D%0ABcc%3A%20victim%40example.com' })).status).toBe(400);

    const json = await publicRequest(ts, 'POST', '/status/acme/subscribe', { json: { email: 'ann@example.org\r\nBcc: victim@example.com', componentIds: [page.components.API, 'nope'], plan: 'gold' } });
    expect(json.status).toBe(400);
    expect(json.type).toMatch(/problem\+json/);
    expect(json.json.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.componentIds.1', 'body.email', 'body.plan']);
    const ja = await publicRequest(ts, 'POST', '/status/acme/subscribe', { json: { email: 'nope' }, headers: { 'accept-language': 'ja' } });
    expect(ja.json.errors[0].message).toBe('name@example.com のようなメールアドレスを指定してください');
    const jaForm = await publicRequest(ts, 'POST', '/status/acme/subscribe', { form: [['email', 'nope'], ['locale', 'ja']] });
    expect(jaForm.text).toContain('登録できませんでした');
    expect(jaForm.text).toContain('name@example.com のようなメールアドレスを指定してください');

    expect((await publicRequest(ts, 'POST', '/status/acme/subscribe', { raw: 'email=ann@example.org', type: 'text/plain' })).status).toBe(415);
    expect((await publicRequest(ts, 'POST', '/status/nowhere/subscribe', { form: [['email', 'ann@example.org']] })).status).toBe(404);
    const nowhereJa = await publicRequest(ts, 'POST', '/status/nowhere/subscribe', { json: { email: 'ann@example.org' }, headers: { 'accept-language': 'ja' } });
    expect(nowhereJa.status).toBe(404);
    expect(nowhereJa.json).toMatchObject({ title: '見つかりません', detail: 'そのステータスページは存在しません' });
    expect(await rowCounts(ts)).toEqual(before);
  });

  it('refuses bogus, tampered, expired and misused tokens and changes nothing', async () => {
    expect((await signUp('ivy@example.org')).status).toBe(200);
    await drain(ts);
    const link = linkIn(textOf(mailsTo('ivy@example.org')[0]!), '/subscriptions/confirm');
    const token = new URL(link, 'http://x').searchParams.get('token')!;
    const row = await ts.server.ctx.storage.db.selectFrom('status_subscribers').selectAll().where('target', '=', 'ivy@example.org').executeTakeFirstOrThrow();
    const tokens = ts.server.ctx.statusSubscribers.links.tokens;
    const flip = (t: string) => t.slice(0, -2) + (t.at(-2) === 'A' ? 'B' : 'A') + t.at(-1);
    const before = await rowCounts(ts);
    const bad = [
      'garbage', '', flip(token), token.replace(row.id, row.id.slice(0, -1) + (row.id.endsWith('a') ? 'b' : 'a')),
      tokens.issue('confirm', row.page_id, row.id, Date.now() - 49 * 3600_000),
      tokens.issue('confirm', other.id, row.id),
      tokens.issue('unsubscribe', row.page_id, row.id),
    ];
    for (const t of bad) {
      for (const method of ['GET', 'POST']) {
        const res = await publicRequest(ts, method, `/status/acme/subscriptions/confirm?token=${encodeURIComponent(t)}`);
        expect(res.status, `${method} ${t}`).toBe(400);
        expect(res.text).toContain('This link is not valid');
      }
    }
    // The token names the subscriber, and so the page: a genuine link under another slug shows (only shows) that page's button.
    const elsewhere = await publicRequest(ts, 'GET', `/status/globex/subscriptions/confirm?token=${encodeURIComponent(token)}`);
    expect(elsewhere.status, elsewhere.text.slice(0, 2000)).toBe(200);
    expect(elsewhere.text).toContain('<a href="http://status.test/status/acme/">Back to Acme Cloud</a>');
    for (const t of ['garbage', tokens.issue('confirm', row.page_id, row.id), flip(tokens.issue('unsubscribe', row.page_id, row.id))]) {
      expect((await publicRequest(ts, 'POST', `/status/acme/unsubscribe?token=${encodeURIComponent(t)}`)).status, t).toBe(400);
      expect((await publicRequest(ts, 'GET', `/status/acme/unsubscribe?token=${encodeURIComponent(t)}`)).status, t).toBe(400);
    }
    const after = await ts.server.ctx.storage.db.selectFrom('status_subscribers').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(after).toEqual(row);
    expect(await rowCounts(ts)).toEqual(before);
    // The genuine link, within 48 hours, still works.
    expect((await publicRequest(ts, 'POST', link)).text).toContain('Subscription confirmed');
  });

  it('links in mails already sent keep working after the page is renamed (RFC 8058 clients keep them)', async () => {
    const initech = await createPage(ts, 'initech', ['API']);
    expect((await publicRequest(ts, 'POST', '/status/initech/subscribe', { form: [['email', 'kim@example.org']] })).status).toBe(200);
    await drain(ts);
    const confirmLink = linkIn(textOf(mailsTo('kim@example.org')[0]!), '/subscriptions/confirm');
    expect(confirmLink).toMatch(/^\/status\/initech\//);
    const rename = async (slug: string) => {
      const res = await ts.call('PATCH', `/api/v1/status-pages/${initech.id}`, { token: ts.admin.token, body: { slug } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    await rename('initrode');
    const confirmed = await publicRequest(ts, 'POST', confirmLink);
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain('Subscription confirmed');
    // The way back goes to where the page is now.
    expect(confirmed.text).toContain('<a href="http://status.test/status/initrode/">Back to Initech Cloud</a>');

    const inc = await linkedIncident(ts, { ...initech, slug: 'initrode' }, { title: 'x', publicTitle: 'API errors', components: { API: 'partial_outage' } });
    await postUpdate(ts, inc.ref, 'Some API calls fail.');
    await drain(ts);
    const target = new URL(mailsTo('kim@example.org').at(-1)!.headers['list-unsubscribe']!.replace(/^<|>$/g, ''));
    expect(target.pathname).toBe('/status/initrode/unsubscribe');
    await rename('initech-two');
    expect((await publicRequest(ts, 'GET', target.pathname + target.search)).text).toContain('Unsubscribe?');
    // What a mail client does with the List-Unsubscribe URL it stored: a POST, no cookies.
    const done = await publicRequest(ts, 'POST', target.pathname + target.search, { rawForm: 'List-Unsubscribe=One-Click' });
    expect(done.status).toBe(200);
    expect(done.text).toContain('You are unsubscribed');
    expect((await rowOf('kim@example.org')).unsubscribed_at).not.toBeNull();
    // At the root too, as a request to a page's former custom host arrives (no longer rewritten).
    expect((await publicRequest(ts, 'POST', `/unsubscribe${target.search}`)).text).toContain('You are unsubscribed');
  });

  // Last: it runs housekeeping as if a week had passed.
  it('forgets addresses that never confirmed after a week, and keeps confirmed ones', async () => {
    expect((await signUp('jay@example.org')).status).toBe(200);
    const db = ts.server.ctx.storage.db;
    const target = (t: string) => db.selectFrom('status_subscribers').select('id').where('target', '=', t).executeTakeFirst();
    await housekeeping(ts.server.ctx, Date.now() + 6 * 24 * 3600_000);
    expect(await target('jay@example.org')).toBeDefined();
    await housekeeping(ts.server.ctx, Date.now() + 8 * 24 * 3600_000);
    expect(await target('jay@example.org')).toBeUndefined();
    expect(await target('ann@example.org')).toBeDefined();
    expect(await target('hal@example.org'), 'unsubscribed').toBeDefined();
    await drain(ts); // the forgotten address's pending confirmation sends nothing
    expect(mailsTo('jay@example.org')).toHaveLength(0);
  });
});
