// On-call schedules: each with who is on call now and until when (in my time zone), and (responders
// and admins) a new schedule.
import { useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { OnCallPeople, useSchedules } from '../components/oncall-now.js';
import { ScheduleForm } from '../components/schedule-form.js';
import { useNow } from '../live.js';
import { Link, navigate } from '../router.js';
import type { Schedule, ScheduleUpdate } from '../types.js';
import { ReadOnlyBadge } from './incident-list.js';

/** The page for /schedules. */
export function SchedulesPage() {
  const { t, fmt, canAct } = useApp();
  const { schedules, failed } = useSchedules();
  const [adding, setAdding] = useState(false);
  const now = useNow(60_000);

  const create = async (body: ScheduleUpdate) => {
    const s = await api<Schedule>('POST', '/schedules', body);
    navigate(`/schedules/${encodeURIComponent(s.id)}`);
  };

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('oncall.title')}</h1>
        <div className="spacer" />
        <Link to="/oncall/health">{t('health.link')}</Link>
        {canAct ? (adding ? null : <button type="button" className="primary" onClick={() => setAdding(true)}>+ {t('oncall.newSchedule')}</button>) : <ReadOnlyBadge />}
      </div>
      <p className="muted section-hint">{t('oncall.intro')}</p>
      {adding && canAct ? (
        <section className="panel" aria-labelledby="new-schedule-h">
          <div className="panel-head">
            <h2 id="new-schedule-h">{t('oncall.newSchedule')}</h2>
            <button type="button" className="ghost" onClick={() => setAdding(false)}>{t('common.cancel')}</button>
          </div>
          <ScheduleForm id="new-schedule" existing={null} submitLabel={t('oncall.createSchedule')} onSubmit={create} />
        </section>
      ) : null}
      {failed ? <p className="form-error" role="alert">{failed}</p> : null}
      {schedules === null ? <p className="muted">{t('app.loading')}</p> : schedules.length === 0 ? <p className="empty">{t('oncall.empty')}</p> : (
        <table className="schedules" data-testid="schedules">
          <thead>
            <tr>
              <th scope="col">{t('oncall.colSchedule')}</th>
              <th scope="col">{t('oncall.onCallNow')}</th>
              <th scope="col">{t('oncall.team')}</th>
              <th scope="col">{t('field.timeZone')}</th>
            </tr>
          </thead>
          <tbody>
            {schedules.map((s) => (
              <tr key={s.id} data-testid="schedule-row">
                <td className="title-cell">
                  <Link to={`/schedules/${encodeURIComponent(s.id)}`}>{s.name}</Link>
                  {s.description ? <div className="muted small">{s.description}</div> : null}
                  <div className="muted small">{t('oncall.layerCount', { n: s.layers.length })}</div>
                </td>
                <td><OnCallPeople shifts={s.onCallNow} fmt={fmt} now={now} /></td>
                <td>{s.team?.name ?? t('common.dash')}</td>
                <td className="mono small">{s.timeZone}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
