// Status page markers: a component's status, a page's overall status and a maintenance's state,
// each in words and a symbol as well as colour (never colour alone).
import { useApp } from '../app-context.js';
import type { ComponentStatus, MaintenanceStatus, StatusComponent } from '../types.js';

const ORDER: Record<ComponentStatus, number> = {
  operational: 0, under_maintenance: 1, degraded_performance: 2, partial_outage: 3, major_outage: 4,
};

const SYMBOL: Record<ComponentStatus, string> = {
  operational: '✓', under_maintenance: '⚒', degraded_performance: '▲', partial_outage: '◆', major_outage: '✕',
};

/** The worst status of a page's components (what its headline says); operational when it has none. */
export function overallStatus(components: Pick<StatusComponent, 'status'>[]): ComponentStatus {
  return components.reduce<ComponentStatus>((worst, c) => (ORDER[c.status] > ORDER[worst] ? c.status : worst), 'operational');
}

/** "Partial outage" in its colour. */
export function ComponentStatusBadge({ status }: { status: ComponentStatus }) {
  const { t } = useApp();
  return (
    <span className={`badge cstatus cstatus-${status}`} data-status={status}>
      <span aria-hidden="true">{SYMBOL[status]}</span> {t(`status.component.${status}`)}
    </span>
  );
}

/** "All systems operational" or the worst status, for a whole page. */
export function OverallStatusBadge({ components }: { components: Pick<StatusComponent, 'status'>[] }) {
  const { t } = useApp();
  const status = overallStatus(components);
  return (
    <span className={`badge cstatus cstatus-${status}`} data-testid="overall-status" data-status={status}>
      <span aria-hidden="true">{SYMBOL[status]}</span> {t(`status.overall.${status}`)}
    </span>
  );
}

/** Scheduled / In progress / … */
export function MaintenanceStateBadge({ status }: { status: MaintenanceStatus }) {
  const { t } = useApp();
  return <span className={`badge mstate mstate-${status}`}>{t(`status.maintenanceState.${status}`)}</span>;
}
