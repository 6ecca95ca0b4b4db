// The war room over real HTTP, against SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../../test/support/databases.js';
import { startTestServer, type TestServer } from '../../../test/support/server.js';

describe.each(DATABASE_KINDS)('incidents (%s)', (kind) => {
  let ts: TestServer;
  let resp: { id: string; token: string };
  let viewer: { id: string; token: string };

  beforeAll(async () => {
    ts = await startTestServer(kind);
    resp = await ts.user('responder', 'Rin Responder');
    viewer = await ts.user('viewer', 'Vic Viewer');
  });
  afterAll(async () => ts?.close());

  const declare = async (body: Record<string, unknown> = {}) => {
    const res = await ts.call('POST', '/api/v1/incidents', { token: ts.admin.token, body: { title: 'Checkout errors', severity: 'SEV2', ...body } });
    expect(res.status).toBe(201);
    return res.body;
  };
  const timeline = async (ref: string, lang = 'en') =>
    (await ts.call('GET', `/api/v1/incidents/${ref}/timeline?lang=${lang}`, { token: ts.admin.token })).body.events as { kind: string; body: string; starred: boolean; id: string }[];

  it('declares an incident: numbered, investigating, the declarer commands and is acknowledged', async () => {
    const inc = await declare({ summary: '5xx on /checkout', services: ['checkout', 'payments'] });
    expect(inc.ref).toMatch(/^INC-\d+$/);
    expect(inc.phase).toBe('investigating');
    expect(inc.commander.id).toBe(ts.admin.id);
    expect(inc.services).toEqual(['checkout', 'payments']);
    expect(inc.roles.find((r: any) => r.role === 'commander').user.id).toBe(ts.admin.id);
    expect(inc.roles.map((r: any) => r.role)).toEqual(['commander', 'communications', 'operations', 'scribe']);
    expect(inc.metrics.acknowledgedAt).toBe(inc.declaredAt);
    expect(inc.clocks.firstPublicUpdate.targetMinutes).toBe(10);
    expect(Date.parse(inc.clocks.firstPublicUpdate.dueAt) - Date.parse(inc.declaredAt)).toBe(10 * 60_000);
    expect(inc.clocks.firstPublicUpdate.overdue).toBe(false);
    const again = await ts.call('GET', `/api/v1/incidents/${inc.number}`, { token: viewer.token });
    expect(again.body.id).toBe(inc.id);
    const events = await timeline(inc.ref);
    expect(events[0]?.kind).toBe('incident.declared');
  });

  it('runs case 1 of seed 003 end to end: task, decision, updates per audience, mitigation, resolution', async () => {
    const inc = await declare({ severity: 'SEV1', title: 'IAM errors after release' });
    const path = `/api/v1/incidents/${inc.ref}`;

    const task = await ts.call('POST', `${path}/tasks`, { token: ts.admin.token, body: { ownerId: resp.id, purpose: 'confirm whether the release caused it', action: 'roll back to the previous image' } });
    expect(task.status).toBe(201);
    expect(task.body.owner.name).toBe('Rin Responder');
    expect(task.body.status).toBe('open');

    const decision = await ts.call('POST', `${path}/decisions`, { token: ts.admin.token, body: { decision: 'Roll back rather than fix the IAM policy forward', rationale: 'the link between the errors and the permissions is not proven', risk: 'data written since 13:00 is kept; risk accepted by IC' } });
    expect(decision.status).toBe(201);
    expect(decision.body.decidedBy.id).toBe(ts.admin.id);

    const stakeholder = await ts.call('POST', `${path}/updates`, { token: ts.admin.token, body: { audience: 'stakeholder', body: 'Rolling back the release.', impact: 'Checkout fails for about 30% of users', eta: '14:30 JST' } });
    expect(stakeholder.status).toBe(201);
    expect(stakeholder.body.rendered.en).toContain('[Investigating] IAM errors after release');
    expect(stakeholder.body.rendered.en).toContain('Impact: Checkout fails for about 30% of users');
    expect(stakeholder.body.rendered.en).toContain('Decisions needed: none');
    expect(stakeholder.body.rendered.ja).toContain('【調査中】IAM errors after release');
    expect(stakeholder.body.rendered.ja).toContain('復旧見込み: 14:30 JST');

    // The public update names a new phase: the incident moves with it.
    const pub = await ts.call('POST', `${path}/updates`, { token: ts.admin.token, body: { audience: 'public', phase: 'monitoring', body: 'A fix is in place and we are watching the results.' } });
    expect(pub.status).toBe(201);
    expect(pub.body.rendered.en).toBe('[Monitoring] A fix is in place and we are watching the results.');
    expect(pub.body.rendered.ja).toBe('【経過観察】A fix is in place and we are watching the results.');

    let detail = (await ts.call('GET', path, { token: ts.admin.token })).body;
    expect(detail.phase).toBe('monitoring');
    expect(detail.metrics.firstPublicUpdateAt).toBe(pub.body.createdAt);
    expect(detail.metrics.mitigatedAt).not.toBeNull();
    expect(detail.clocks.firstPublicUpdate.metAt).toBe(pub.body.createdAt);
    expect(detail.clocks.audiences.stakeholder.lastAt).toBe(stakeholder.body.createdAt);
    expect(Date.parse(detail.clocks.audiences.public.nextDueAt) - Date.parse(pub.body.createdAt)).toBe(30 * 60_000); // SEV1 cadence
    expect(detail.updates.map((u: any) => u.audience)).toEqual(['stakeholder', 'public']);

    const done = await ts.call('PATCH', `${path}/tasks/${task.body.id}`, { token: resp.token, body: { status: 'done' } });
    expect(done.body.doneAt).not.toBeNull();

    const resolved = await ts.call('POST', `${path}/phase`, { token: ts.admin.token, body: { phase: 'resolved', note: 'error rate back to baseline' } });
    expect(resolved.status).toBe(200);
    detail = resolved.body;
    expect(detail.phase).toBe('resolved');
    expect(detail.metrics.secondsToResolve).toBeGreaterThanOrEqual(0);
    expect(detail.clocks.audiences.internal.nextDueAt).toBeNull();

    const events = await timeline(inc.ref);
    expect(events[0]?.kind).toBe('incident.declared');
    const kinds = events.map((e) => e.kind);
    for (const k of ['task.created', 'decision.recorded', 'update.posted', 'phase.changed', 'task.updated']) expect(kinds).toContain(k);
    const decisionEvent = events.find((e) => e.kind === 'decision.recorded')!;
    expect(decisionEvent.starred).toBe(true);
    expect(decisionEvent.body).toContain('risk accepted: data written since 13:00 is kept');
    const last = events.at(-1)!;
    expect(last.body).toBe('Phase [Monitoring] → [Resolved] — error rate back to baseline');
    const ja = await timeline(inc.ref, 'ja');
    expect(ja.at(-1)!.body).toContain('【経過観察】 → 【復旧完了】');
  });

  it('refuses phase changes that make no sense, and reopens a resolved incident', async () => {
    const inc = await declare();
    const path = `/api/v1/incidents/${inc.ref}/phase`;
    const same = await ts.call('POST', path, { token: ts.admin.token, body: { phase: 'investigating' } });
    expect(same.status).toBe(409);
    expect(same.headers.get('content-type')).toContain('application/problem+json');
    expect(same.body.detail).toContain('already investigating');
    await ts.call('POST', path, { token: ts.admin.token, body: { phase: 'resolved' } });
    const skip = await ts.call('POST', path, { token: ts.admin.token, body: { phase: 'monitoring' } });
    expect(skip.status).toBe(409);
    expect(skip.body.errors[0].field).toBe('body.phase');
    const unknown = await ts.call('POST', path, { token: ts.admin.token, body: { phase: 'done' } });
    expect(unknown.status).toBe(400);
    const reopened = await ts.call('POST', path, { token: ts.admin.token, body: { phase: 'investigating' } });
    expect(reopened.status).toBe(200);
    expect(reopened.body.metrics.resolvedAt).toBeNull();
    expect(reopened.body.clocks.audiences.internal.nextDueAt).not.toBeNull();
  });

  it('many declarations at once all succeed, with distinct consecutive numbers', async () => {
    const answers = await Promise.all(Array.from({ length: 15 }, (_, i) =>
      ts.call('POST', '/api/v1/incidents', { token: ts.admin.token, body: { title: `Storm ${i}`, severity: 'SEV3' } })));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    const numbers = answers.map((a) => a.body.number as number).sort((x, y) => x - y);
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i));
  });

  it('concurrent writers to one incident take turns: resolving it five times at once resolves it once', async () => {
    const inc = await declare();
    const answers = await Promise.all(Array.from({ length: 5 }, () =>
      ts.call('POST', `/api/v1/incidents/${inc.ref}/phase`, { token: ts.admin.token, body: { phase: 'resolved' } })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409]);
    expect((await timeline(inc.ref)).filter((e) => e.kind === 'phase.changed')).toHaveLength(1);
  });

  it('a repeated acknowledge or join changes nothing, not even updatedAt', async () => {
    const inc = await declare();
    await new Promise((r) => setTimeout(r, 5));
    const acked = await ts.call('POST', `/api/v1/incidents/${inc.ref}/acknowledge`, { token: resp.token });
    expect(acked.status).toBe(200);
    const joined = await ts.call('POST', `/api/v1/incidents/${inc.ref}/responders`, { token: ts.admin.token, body: {} });
    expect(joined.status).toBe(200);
    expect(joined.body.updatedAt).toBe(inc.updatedAt);
    expect((await timeline(inc.ref)).map((e) => e.kind)).toEqual(['incident.declared']);
  });

  it('refuses a task without an owner or a purpose, and leaves nothing behind', async () => {
    const inc = await declare();
    const path = `/api/v1/incidents/${inc.ref}/tasks`;
    const noOwner = await ts.call('POST', path, { token: ts.admin.token, body: { purpose: 'p', action: 'a' } });
    expect(noOwner.status).toBe(400);
    expect(noOwner.body.errors).toContainEqual({ field: 'body.ownerId', message: 'a task needs an owner: who does it' });
    const noPurpose = await ts.call('POST', path, { token: ts.admin.token, body: { ownerId: resp.id, action: 'a', purpose: '   ' } });
    expect(noPurpose.status).toBe(400);
    expect(noPurpose.body.errors[0]).toEqual({ field: 'body.purpose', message: 'a task needs a purpose: why it is done' });
    const ghost = await ts.call('POST', path, { token: ts.admin.token, body: { ownerId: 'nobody', purpose: 'p', action: 'a' } });
    expect(ghost.status).toBe(422);
    expect(ghost.body.errors[0].field).toBe('body.ownerId');
    const badDue = await ts.call('POST', path, { token: ts.admin.token, body: { ownerId: resp.id, purpose: 'p', action: 'a', dueAt: 'tomorrow' } });
    expect(badDue.status).toBe(400);
    expect(badDue.body.errors[0].field).toBe('body.dueAt');
    const detail = (await ts.call('GET', `/api/v1/incidents/${inc.ref}`, { token: ts.admin.token })).body;
    expect(detail.tasks).toEqual([]);
    expect((await timeline(inc.ref)).map((e) => e.kind)).toEqual(['incident.declared']);
  });

  it('a decision needs its risk named', async () => {
    const inc = await declare();
    const res = await ts.call('POST', `/api/v1/incidents/${inc.ref}/decisions`, { token: ts.admin.token, body: { decision: 'redeploy', rationale: 'sixth sense' } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('body.risk');
  });

  it('shows who is idle, refuses to release someone still assigned, and releases the idle (seed 003 case 3)', async () => {
    const inc = await declare();
    const path = `/api/v1/incidents/${inc.ref}`;
    const idleOne = await ts.user('responder', 'Ida Idle');
    expect((await ts.call('POST', `${path}/responders`, { token: idleOne.token, body: {} })).status).toBe(200);
    const task = await ts.call('POST', `${path}/tasks`, { token: ts.admin.token, body: { ownerId: resp.id, purpose: 'find the cause', action: 'read the logs' } });
    let detail = (await ts.call('GET', path, { token: ts.admin.token })).body;
    const roster = Object.fromEntries(detail.responders.map((r: any) => [r.user.name, r]));
    expect(roster['Ida Idle'].idle).toBe(true);
    expect(roster['Rin Responder'].idle).toBe(false);
    expect(roster['Rin Responder'].openTaskIds).toEqual([task.body.id]);
    expect(roster['Ada Admin'].roles).toEqual(['commander']);

    const busy = await ts.call('DELETE', `${path}/responders/${resp.id}`, { token: ts.admin.token });
    expect(busy.status).toBe(409);
    expect(busy.body.detail).toContain('open task');
    const cmd = await ts.call('DELETE', `${path}/responders/${ts.admin.id}`, { token: ts.admin.token });
    expect(cmd.status).toBe(409);
    const released = await ts.call('DELETE', `${path}/responders/${idleOne.id}`, { token: ts.admin.token });
    expect(released.status).toBe(200);
    expect(released.body.responders.map((r: any) => r.user.name)).not.toContain('Ida Idle');
    const events = await timeline(inc.ref);
    expect(events.at(-1)!.body).toBe('Ida Idle was released by Ada Admin');
    detail = released.body;
    expect(detail.responders).toHaveLength(2);
  });

  it('hands over roles on the timeline; the commander role cannot be left empty', async () => {
    const inc = await declare();
    const path = `/api/v1/incidents/${inc.ref}`;
    const handed = await ts.call('PUT', `${path}/roles/commander`, { token: ts.admin.token, body: { userId: resp.id } });
    expect(handed.status).toBe(200);
    expect(handed.body.commander.id).toBe(resp.id);
    const comms = await ts.call('PUT', `${path}/roles/communications`, { token: resp.token, body: { userId: ts.admin.id } });
    expect(comms.body.roles.find((r: any) => r.role === 'communications').user.id).toBe(ts.admin.id);
    expect((await ts.call('DELETE', `${path}/roles/commander`, { token: ts.admin.token })).status).toBe(409);
    expect((await ts.call('PUT', `${path}/roles/janitor`, { token: ts.admin.token, body: { userId: resp.id } })).status).toBe(422);
    const events = await timeline(inc.ref);
    expect(events.map((e) => e.body)).toContain('commander handed over from Ada Admin to Rin Responder');
  });

  it('records severity changes and edits; stars and notes', async () => {
    const inc = await declare();
    const path = `/api/v1/incidents/${inc.ref}`;
    const changed = await ts.call('PATCH', path, { token: resp.token, body: { severity: 'SEV1', title: 'Checkout down' } });
    expect(changed.body.severity).toBe('SEV1');
    expect(changed.body.clocks.audiences.internal.cadenceMinutes).toBe(15);
    const note = await ts.call('POST', `${path}/timeline`, { token: resp.token, body: { body: 'p99 latency doubled at 13:02' } });
    expect(note.status).toBe(201);
    const starred = await ts.call('PUT', `${path}/timeline/${note.body.id}/star`, { token: resp.token, body: { starred: true } });
    expect(starred.body.starred).toBe(true);
    const onlyStarred = (await ts.call('GET', `${path}/timeline?starred=true`, { token: viewer.token })).body.events;
    expect(onlyStarred.map((e: any) => e.body)).toEqual(['p99 latency doubled at 13:02']);
    const kinds = (await timeline(inc.ref)).map((e) => e.kind);
    expect(kinds).toEqual(['incident.declared', 'severity.changed', 'incident.edited', 'note']);
  });

  it('lets viewers read but not act, and lists open and resolved incidents', async () => {
    const inc = await declare({ drill: true, title: 'Drill: region DNS down' });
    expect(inc.drill).toBe(true);
    expect((await ts.call('POST', `/api/v1/incidents/${inc.ref}/timeline`, { token: viewer.token, body: { body: 'hi' } })).status).toBe(403);
    const open = (await ts.call('GET', '/api/v1/incidents', { token: viewer.token })).body.incidents;
    expect(open.map((i: any) => i.id)).toContain(inc.id);
    expect(open.every((i: any) => i.phase !== 'resolved')).toBe(true);
    const resolved = (await ts.call('GET', '/api/v1/incidents?state=resolved', { token: viewer.token })).body.incidents;
    expect(resolved.every((i: any) => i.phase === 'resolved')).toBe(true);
    const drills = (await ts.call('GET', '/api/v1/incidents?state=all&drill=true', { token: viewer.token })).body.incidents;
    expect(drills.map((i: any) => i.id)).toEqual([inc.id]);
    const upd = await ts.call('POST', `/api/v1/incidents/${inc.ref}/updates`, { token: ts.admin.token, body: { audience: 'public', body: 'Practice.' } });
    expect(upd.body.rendered.en).toBe('[DRILL] [Investigating] Practice.');
  });

  it('audits every war-room mutation with its actor', async () => {
    const inc = await declare();
    await ts.call('POST', `/api/v1/incidents/${inc.ref}/timeline`, { token: resp.token, body: { body: 'note' } });
    const audit = (await ts.call('GET', `/api/v1/audit?targetId=${inc.id}`, { token: ts.admin.token })).body.events;
    expect(audit.map((e: any) => e.action)).toContain('incident.declare');
    const noteAudit = (await ts.call('GET', '/api/v1/audit?action=incident.note_add', { token: ts.admin.token })).body.events[0];
    expect(noteAudit.actor.name).toBe('Rin Responder');
  });

  it('streams live events of one incident to a subscriber', async () => {
    const inc = await declare();
    const ctrl = new AbortController();
    const res = await fetch(`${ts.url}/api/v1/incidents/${inc.id}/events`, { headers: { authorization: `Bearer ${viewer.token}` }, signal: ctrl.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const received: string[] = [];
    const reading = (async () => {
      const dec = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        received.push(dec.decode(value));
        if (received.join('').includes('incident.timeline')) return;
      }
    })();
    await ts.call('POST', `/api/v1/incidents/${inc.ref}/timeline`, { token: resp.token, body: { body: 'live' } });
    await Promise.race([reading, new Promise((r) => setTimeout(r, 5000))]);
    ctrl.abort();
    const data = received.join('').split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)));
    expect(data.map((d) => d.type)).toContain('incident.timeline');
    expect(data[0].incidentId).toBe(inc.id);
  });
});
