// The clocks that nudge the commander: first public update, each audience's cadence, and metrics.
import { useApp } from '../app-context.js';
import { useNow } from '../live.js';
import { AUDIENCES } from '../../../src/shared/phases.js';
import type { IncidentDetail } from '../types.js';

/** Countdown clocks (ticking each second) and response metrics. */
export function ClocksPanel({ incident }: { incident: IncidentDetail }) {
  const { t, fmt } = useApp();
  const now = useNow(1000);
  const resolved = incident.phase === 'resolved';
  const first = incident.clocks.firstPublicUpdate;
  const firstLeft = (Date.parse(first.dueAt) - now) / 1000;
  const firstLate = !first.metAt && (first.overdue || firstLeft < 0);
  const m = incident.metrics;

  return (
    <section className="clocks" aria-label={t('clock.title')}>
      <div className={`clock big-clock ${first.metAt ? 'ok' : firstLate ? 'late' : firstLeft < 180 ? 'soon' : ''}`} data-testid="clock-first-public">
        <div className="clock-label">{t('clock.firstPublic')}</div>
        <div className="clock-value" aria-live="off">
          {first.metAt
            ? `✓ ${t('clock.metAfter', { time: fmt.duration(m.secondsToFirstPublicUpdate) })}`
            : resolved ? t('common.dash')
              : firstLate ? t('clock.overdueBy', { time: fmt.clock(-firstLeft) }) : t('clock.dueIn', { time: fmt.clock(firstLeft) })}
        </div>
      </div>
      {AUDIENCES.map((a) => {
        const c = incident.clocks.audiences[a];
        const left = c.nextDueAt ? (Date.parse(c.nextDueAt) - now) / 1000 : null;
        const late = !resolved && (c.overdue || (left !== null && left < 0));
        return (
          <div key={a} className={`clock ${late ? 'late' : ''}`} data-testid={`clock-${a}`}>
            <div className="clock-label">{t(`audience.${a}`)} <span className="muted">· {t('clock.every', { n: c.cadenceMinutes })}</span></div>
            <div className="clock-value small">
              {t('clock.lastUpdate', { age: c.lastAt ? fmt.ago(c.lastAt, now) : t('common.never') })}
            </div>
            <div className="clock-sub">
              {resolved ? t('clock.paused') : left === null ? t('common.dash')
                : late ? t('clock.nextOverdue', { time: fmt.clock(-left) }) : t('clock.nextDue', { time: fmt.clock(left) })}
            </div>
          </div>
        );
      })}
      <dl className="metrics" aria-label={t('metrics.title')}>
        <div><dt>{t('metrics.ack')}</dt><dd>{fmt.duration(m.secondsToAcknowledge)}</dd></div>
        <div><dt>{t('metrics.firstPublic')}</dt><dd>{fmt.duration(m.secondsToFirstPublicUpdate)}</dd></div>
        <div><dt>{t('metrics.mitigate')}</dt><dd>{fmt.duration(m.secondsToMitigate)}</dd></div>
        <div><dt>{t('metrics.resolve')}</dt><dd>{fmt.duration(m.secondsToResolve)}</dd></div>
      </dl>
    </section>
  );
}
