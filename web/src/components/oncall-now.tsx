// Who is on call now and until when: the words every on-call view shares, and the incidents page's box.
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import type { Formatters } from '../format.js';
import { useNow } from '../live.js';
import { Link } from '../router.js';
import type { Schedule, Shift } from '../types.js';

const MINUTE = 60_000;

/** "Alice until 23 Nov, 09:00 (in 2.5 d)", one line per person, or "Nobody"; `fmt` picks the time zone. */
export function OnCallPeople({ shifts, fmt, now }: { shifts: (Shift & { openEnded?: boolean })[]; fmt: Formatters; now: number }) {
  const { t } = useApp();
  if (shifts.length === 0) return <span className="muted">{t('oncall.nobody')}</span>;
  return (
    <ul className="oncall-people">
      {shifts.map((s) => (
        <li key={`${s.user.id}-${s.start}`} data-testid="oncall-person">
          <strong>{s.user.name}</strong>
          {s.overrideId ? <span className="badge override-badge">{t('oncall.override')}</span> : null}
          <span className="muted small"> {s.openEnded ? t('oncall.noHandoff') : t('oncall.until', { time: fmt.dateTime(s.end), left: fmt.until(s.end, now) })}</span>
        </li>
      ))}
    </ul>
  );
}

/** The schedules, refetched when someone's shift ends (so "now" stays true) and every 10 minutes. */
export function useSchedules(): { schedules: Schedule[] | null; failed: string | null; reload: () => void } {
  const [schedules, setSchedules] = useState<Schedule[] | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const reload = useCallback(() => {
    api<{ schedules: Schedule[] }>('GET', '/schedules')
      .then((r) => { setSchedules(r.schedules); setFailed(null); })
      .catch((e: Error) => setFailed(e.message));
  }, []);
  useEffect(reload, [reload]);
  useEffect(() => {
    const ends = (schedules ?? []).flatMap((s) => s.onCallNow.filter((x) => !x.openEnded).map((x) => Date.parse(x.end)));
    const wait = Math.min(10 * MINUTE, ...ends.map((e) => e - Date.now() + 1000));
    const timer = setTimeout(reload, Math.max(5000, wait));
    return () => clearTimeout(timer);
  }, [schedules, reload]);
  return { schedules, failed, reload };
}

/** The compact box on the incidents page: each schedule's person on call; nothing when there are no schedules. */
export function OnCallNowBox() {
  const { t, fmt } = useApp();
  const { schedules } = useSchedules();
  const now = useNow(MINUTE);
  if (!schedules?.length) return null;
  return (
    <section className="oncall-box" aria-labelledby="oncall-box-h" data-testid="oncall-box">
      <h2 id="oncall-box-h">{t('oncall.onCallNow')}</h2>
      <ul>
        {schedules.map((s) => (
          <li key={s.id}>
            <Link to={`/schedules/${encodeURIComponent(s.id)}`} className="oncall-box-name">{s.name}</Link>
            <OnCallPeople shifts={s.onCallNow} fmt={fmt} now={now} />
          </li>
        ))}
      </ul>
      <Link to="/schedules" className="small">{t('oncall.allSchedules')}</Link>
    </section>
  );
}
