// A schedule's overrides, current and upcoming first, then those that ended lately; add and delete.
import { useEffect, useMemo, useState } from 'react';
import { api, query } from '../api.js';
import { useApp } from '../app-context.js';
import { formatters } from '../format.js';
import type { Override, Schedule, ScheduleShifts } from '../types.js';
import { FormError, useAction } from './form.js';
import { OverrideForm } from './override-form.js';

const DAY = 86_400_000;
/** How far back ended overrides are listed, and how far ahead upcoming ones. */
const BACK_DAYS = 14;
const AHEAD_DAYS = 180;

/** The overrides panel; `onChanged` after one is added or deleted. */
export function OverridesPanel({ schedule, version, onChanged }: { schedule: Schedule; version: number; onChanged: () => void }) {
  const { t, locale, canAct } = useApp();
  const [overrides, setOverrides] = useState<Override[] | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const remove = useAction();
  const fmt = useMemo(() => formatters(locale, schedule.timeZone, t), [locale, schedule.timeZone, t]);

  useEffect(() => {
    let stale = false;
    // The API lists overrides with the shifts of a range: ask for the weeks around now.
    const now = Date.now();
    const range = query({ from: new Date(now - BACK_DAYS * DAY).toISOString(), to: new Date(now + AHEAD_DAYS * DAY).toISOString() });
    api<ScheduleShifts>('GET', `/schedules/${encodeURIComponent(schedule.id)}/shifts${range}`)
      .then((r) => { if (!stale) { setOverrides(r.overrides); setFailed(null); } })
      .catch((e: Error) => { if (!stale) setFailed(e.message); });
    return () => { stale = true; };
  }, [schedule.id, version]);

  const now = new Date().toISOString();
  const list = overrides ?? [];
  const sorted = [
    ...list.filter((o) => o.end > now).sort((a, b) => a.start.localeCompare(b.start)),
    ...list.filter((o) => o.end <= now).sort((a, b) => b.start.localeCompare(a.start)),
  ];

  const del = (o: Override) => void remove.run(async () => {
    await api('DELETE', `/schedules/${encodeURIComponent(schedule.id)}/overrides/${encodeURIComponent(o.id)}`);
    onChanged();
  });

  return (
    <section className="panel" aria-labelledby="overrides-h" data-testid="overrides">
      <div className="panel-head">
        <h2 id="overrides-h">{t('oncall.overrides')}</h2>
        {canAct && !adding ? <button type="button" onClick={() => setAdding(true)}>+ {t('oncall.addOverride')}</button> : null}
      </div>
      <p className="muted section-hint">{t('oncall.overridesHint', { back: BACK_DAYS, ahead: AHEAD_DAYS })}</p>
      {adding && canAct ? (
        <OverrideForm scheduleId={schedule.id} zone={schedule.timeZone} onCancel={() => setAdding(false)}
          onDone={() => { setAdding(false); onChanged(); }} />
      ) : null}
      {failed ? <p className="form-error" role="alert">{failed}</p> : null}
      <FormError error={remove.error} />
      {overrides === null ? <p className="muted">{t('app.loading')}</p> : sorted.length === 0 ? <p className="muted">{t('oncall.noOverrides')}</p> : (
        <table className="overrides">
          <thead>
            <tr>
              <th scope="col">{t('oncall.colWho')}</th>
              <th scope="col">{t('oncall.colWhen', { zone: schedule.timeZone })}</th>
              <th scope="col">{t('oncall.overrideNote')}</th>
              <th scope="col">{t('oncall.colBy')}</th>
              {canAct ? <th scope="col"><span className="sr-only">{t('oncall.deleteOverride')}</span></th> : null}
            </tr>
          </thead>
          <tbody>
            {sorted.map((o) => {
              const ended = o.end <= now;
              const active = !ended && o.start <= now;
              return (
                <tr key={o.id} className={ended ? 'muted' : ''} data-testid="override-row">
                  <td>{o.user.name}</td>
                  <td className="nowrap">
                    {fmt.dateTime(o.start)} – {fmt.dateTime(o.end)}
                    {active ? <span className="badge oncall-badge">{t('oncall.inEffect')}</span> : ended ? <span className="badge">{t('oncall.ended')}</span> : null}
                  </td>
                  <td className="comment-cell">{o.note}</td>
                  <td>{o.createdBy?.name ?? t('common.dash')}</td>
                  {canAct ? (
                    <td>
                      <button type="button" className="small-button danger" disabled={remove.busy} onClick={() => del(o)}
                        aria-label={t('oncall.deleteOverrideOf', { name: o.user.name, when: fmt.dateTime(o.start) })}>{t('oncall.deleteOverride')}</button>
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
