// My stretches on call in the next 14 days, across every schedule, in my time zone.
import { useEffect, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { useNow } from '../live.js';
import { Link } from '../router.js';
import type { UserShifts } from '../types.js';

/** The "My shifts" panel of the profile page. */
export function MyShifts() {
  const { t, fmt, user } = useApp();
  const [shifts, setShifts] = useState<UserShifts['shifts'] | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const now = useNow(60_000);

  useEffect(() => {
    // Without from/to the server answers the next 14 days.
    api<UserShifts>('GET', `/users/${encodeURIComponent(user.id)}/shifts`)
      .then((r) => { setShifts(r.shifts); setFailed(null); })
      .catch((e: Error) => setFailed(e.message));
  }, [user.id]);

  return (
    <section className="panel" aria-labelledby="my-shifts-h" data-testid="my-shifts">
      <h2 id="my-shifts-h">{t('oncall.myShifts')}</h2>
      <p className="muted section-hint">{t('oncall.myShiftsHint', { zone: user.timeZone })}</p>
      {failed ? <p className="form-error" role="alert">{failed}</p> : null}
      {shifts === null ? <p className="muted">{t('app.loading')}</p> : shifts.length === 0 ? <p className="muted">{t('oncall.noShifts')}</p> : (
        <table>
          <thead>
            <tr><th scope="col">{t('oncall.colSchedule')}</th><th scope="col">{t('oncall.colFrom')}</th><th scope="col">{t('oncall.colUntil')}</th></tr>
          </thead>
          <tbody>
            {shifts.map((s) => {
              // The list starts at the moment it was asked for, so a shift under way starts "now", a moment after `now` here.
              const current = Date.parse(s.start) <= now + 60_000 && now < Date.parse(s.end);
              return (
                <tr key={`${s.schedule.id}-${s.start}`} data-testid="my-shift">
                  <td>
                    <Link to={`/schedules/${encodeURIComponent(s.schedule.id)}`}>{s.schedule.name}</Link>
                    {s.overrideId ? <span className="badge override-badge">{t('oncall.override')}</span> : null}
                  </td>
                  <td className="nowrap">
                    {fmt.dateTime(s.start)}
                    {current ? <span className="badge oncall-badge">{t('oncall.onCallNowBadge')}</span> : <span className="muted small"> · {fmt.until(s.start, now)}</span>}
                  </td>
                  <td className="nowrap">{fmt.dateTime(s.end)} <span className="muted small">· {fmt.until(s.end, now)}</span></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
