// The second row of navigation under Alerts (groups, silences, maintenance) and Integrations (integrations, routes, escalation policies).
import { useApp } from '../app-context.js';
import type { MessageKey } from '../i18n/index.js';
import { Link, useLocation } from '../router.js';

/** Links to sibling pages, the current one marked. */
function SubNav({ label, items }: { label: string; items: { to: string; key: MessageKey; current: boolean }[] }) {
  const { t } = useApp();
  return (
    <nav className="subnav" aria-label={label}>
      {items.map((i) => <Link key={i.to} to={i.to} aria-current={i.current ? 'page' : undefined}>{t(i.key)}</Link>)}
    </nav>
  );
}

/** Alert groups · Silences · Maintenance. */
export function AlertsNav() {
  const { t } = useApp();
  const { path } = useLocation();
  const silences = path.startsWith('/alerts/silences');
  const maintenance = path.startsWith('/alerts/maintenance');
  return (
    <SubNav label={t('nav.alerts')} items={[
      { to: '/alerts', key: 'alerts.navGroups', current: !silences && !maintenance },
      { to: '/alerts/silences', key: 'alerts.navSilences', current: silences },
      { to: '/alerts/maintenance', key: 'alerts.navMaintenance', current: maintenance },
    ]} />
  );
}

/** Integrations · Alert routes · Escalation policies (admins). */
export function IntegrationsNav() {
  const { t } = useApp();
  const { path } = useLocation();
  return (
    <SubNav label={t('nav.integrations')} items={[
      { to: '/admin/integrations', key: 'integrations.navList', current: path.startsWith('/admin/integrations') },
      { to: '/admin/alert-routes', key: 'routes.title', current: path.startsWith('/admin/alert-routes') },
      { to: '/admin/escalation-policies', key: 'policies.title', current: path.startsWith('/admin/escalation-policies') },
    ]} />
  );
}
