// One schedule: the timeline, who is on call now, overrides, its layers (responders edit them), a
// calendar feed, and (admins) deleting it. Times here are in the schedule's own time zone.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { CalendarSubscribe } from '../components/calendar-feeds.js';
import { FormError, useAction } from '../components/form.js';
import { OnCallPeople } from '../components/oncall-now.js';
import { OverridesPanel } from '../components/overrides-panel.js';
import { ScheduleForm } from '../components/schedule-form.js';
import { ScheduleTimeline } from '../components/schedule-timeline.js';
import { formatters } from '../format.js';
import { useNow } from '../live.js';
import { Link, navigate } from '../router.js';
import type { Schedule, ScheduleUpdate } from '../types.js';
import { ReadOnlyBadge } from './incident-list.js';

/** The page for /schedules/:id. */
export function SchedulePage({ scheduleId }: { scheduleId: string }) {
  const { t, locale, canAct, user } = useApp();
  const [schedule, setSchedule] = useState<Schedule | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const now = useNow(60_000);
  const path = `/schedules/${encodeURIComponent(scheduleId)}`;

  const load = useCallback(() => {
    api<Schedule>('GET', path).then((s) => { setSchedule(s); setFailed(null); }).catch((e: Error) => setFailed(e.message));
  }, [path]);
  useEffect(load, [load]);
  // Refetch when the person on call hands over, so "now" stays true.
  const nextEnd = schedule?.onCallNow.reduce((m, s) => Math.min(m, Date.parse(s.end)), Infinity) ?? Infinity;
  useEffect(() => { if (now >= nextEnd) load(); }, [now, nextEnd, load]);

  const changed = () => {
    setVersion((v) => v + 1);
    load();
  };
  const save = async (body: ScheduleUpdate) => {
    setSchedule(await api<Schedule>('PATCH', path, body));
    setVersion((v) => v + 1);
    setEditing(false);
    setSaved(true);
  };
  const fmt = useMemo(() => formatters(locale, schedule?.timeZone ?? user.timeZone, t), [locale, schedule?.timeZone, user.timeZone, t]);

  if (failed && !schedule) {
    return <div className="page"><p className="form-error" role="alert">{failed}</p><Link to="/schedules">{t('oncall.backToList')}</Link></div>;
  }
  if (!schedule) return <p className="page muted">{t('app.loading')}</p>;

  return (
    <div className="page" data-testid="schedule-page">
      <p className="small"><Link to="/schedules">← {t('oncall.backToList')}</Link></p>
      <div className="page-head">
        <h1>{schedule.name}</h1>
        {canAct ? null : <ReadOnlyBadge />}
      </div>
      <p className="muted section-hint">
        {schedule.team ? `${t('oncall.team')}: ${schedule.team.name} · ` : ''}{t('oncall.pageZone', { zone: schedule.timeZone })}
        {schedule.description ? <><br />{schedule.description}</> : null}
      </p>
      {failed ? <p className="form-error" role="alert">{failed}</p> : null}

      <section className="panel oncall-now-panel" aria-labelledby="now-h" data-testid="oncall-now">
        <h2 id="now-h">{t('oncall.onCallNow')}</h2>
        <OnCallPeople shifts={schedule.onCallNow} fmt={fmt} now={now} />
      </section>

      <ScheduleTimeline schedule={schedule} version={version} />
      <OverridesPanel schedule={schedule} version={version} onChanged={changed} />

      <section className="panel" aria-labelledby="layers-h" data-testid="schedule-layers">
        <div className="panel-head">
          <h2 id="layers-h">{t('oncall.settings')}</h2>
          {canAct && !editing ? <button type="button" onClick={() => { setEditing(true); setSaved(false); }}>{t('oncall.edit')}</button> : null}
        </div>
        {saved ? <p className="ok-text" role="status">✓ {t('common.saved')}</p> : null}
        {editing && canAct ? (
          <ScheduleForm key={schedule.updatedAt} id="edit-schedule" existing={schedule} submitLabel={t('oncall.saveSchedule')} onSubmit={save}>
            <button type="button" onClick={() => setEditing(false)}>{t('common.cancel')}</button>
          </ScheduleForm>
        ) : <LayersSummary schedule={schedule} />}
      </section>

      <CalendarSubscribe scheduleId={schedule.id} />
      {user.role === 'admin' ? <DeleteSchedule schedule={schedule} /> : null}
    </div>
  );
}

/** The layers in words, top layer last, as they take precedence. */
function LayersSummary({ schedule }: { schedule: Schedule }) {
  const { t, locale } = useApp();
  if (schedule.layers.length === 0) return <p className="muted">{t('oncall.noLayers')}</p>;
  // Layer times are wall-clock times of the schedule's zone: read them as UTC numbers, print them as such.
  const wallFmt = new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', {
    timeZone: 'UTC', weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false,
  });
  const wall = (local: string) => {
    const ms = Date.parse(`${local}:00Z`);
    return Number.isNaN(ms) ? local : wallFmt.format(ms);
  };
  const turn = (l: Schedule['layers'][number]) => l.turn.length === 1 && l.turn.unit === 'days' ? t('oncall.rotation.daily')
    : l.turn.length === 1 && l.turn.unit === 'weeks' ? t('oncall.rotation.weekly') : t(`oncall.every.${l.turn.unit}`, { n: l.turn.length });
  return (
    <>
      <p className="hint">{t('oncall.layersHint')}</p>
      <ol className="layer-summary">
        {schedule.layers.map((l) => (
          <li key={l.id}>
            <strong>{l.name}</strong> <span className="muted small">· {turn(l)} · {t('oncall.handsOff', { time: wall(l.start) })}{l.end ? ` · ${t('oncall.endsAt', { time: wall(l.end) })}` : ''}{l.restrictions.length ? ` · ${t('oncall.windowCount', { n: l.restrictions.length })}` : ''}</span>
            <div>{l.participants.map((p) => p.name).join(' → ')}</div>
          </li>
        ))}
      </ol>
    </>
  );
}

/** Deleting a schedule, confirmed in place (admins). */
function DeleteSchedule({ schedule }: { schedule: Schedule }) {
  const { t } = useApp();
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAction();
  const remove = () => void run(async () => {
    await api('DELETE', `/schedules/${encodeURIComponent(schedule.id)}`);
    navigate('/schedules');
  });
  return (
    <section className="panel danger-zone" aria-labelledby="delete-h">
      <h2 id="delete-h">{t('oncall.deleteTitle')}</h2>
      <FormError error={error} />
      {confirming ? (
        <div className="confirm" role="group" aria-labelledby="confirm-delete">
          <p id="confirm-delete" className="warn-text">{t('oncall.deleteConfirm', { name: schedule.name })}</p>
          <div className="actions">
            <button type="button" onClick={() => setConfirming(false)}>{t('common.cancel')}</button>
            <button type="button" className="danger" disabled={busy} onClick={remove} autoFocus>{t('oncall.deleteNow')}</button>
          </div>
        </div>
      ) : <button type="button" className="danger" onClick={() => setConfirming(true)}>{t('oncall.deleteSchedule')}</button>}
      <p className="hint">{t('oncall.deleteHint')}</p>
    </section>
  );
}
