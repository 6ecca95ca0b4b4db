// Boots the UI: setup or sign-in first, then the signed-in shell with its pages.
import { type Dispatch, type SetStateAction, useCallback, useEffect, useMemo, useState } from 'react';
import { api, ApiError, setCsrfToken, setLanguage, setUnauthorizedHandler } from './api.js';
import { AppContext, type AppContextValue, browserLocale, useApp } from './app-context.js';
import { Header } from './components/header.js';
import { formatters } from './format.js';
import { translator } from './i18n/index.js';
import { AdminAlertRoutesPage } from './pages/admin-alert-routes.js';
import { AdminAuditPage } from './pages/admin-audit.js';
import { AdminEscalationPoliciesPage } from './pages/admin-escalation-policies.js';
import { AdminIntegrationPage } from './pages/admin-integration.js';
import { AdminIntegrationsPage } from './pages/admin-integrations.js';
import { AdminSettingsPage } from './pages/admin-settings.js';
import { AdminStatusPagePage } from './pages/admin-status-page.js';
import { AdminStatusPagesPage } from './pages/admin-status-pages.js';
import { AdminTeamsPage } from './pages/admin-teams.js';
import { AdminUsersPage } from './pages/admin-users.js';
import { AlertGroupPage } from './pages/alert-group.js';
import { MaintenancePage } from './pages/alert-maintenance.js';
import { SilencesPage } from './pages/alert-silences.js';
import { AlertsPage } from './pages/alerts.js';
import { IncidentListPage } from './pages/incident-list.js';
import { OnCallHealthPage } from './pages/oncall-health.js';
import { PageDetailPage } from './pages/page-detail.js';
import { PagesPage } from './pages/page-list.js';
import { ProfilePage } from './pages/profile.js';
import { SchedulePage } from './pages/schedule.js';
import { SchedulesPage } from './pages/schedules.js';
import { SetupPage } from './pages/setup.js';
import { SignInPage } from './pages/sign-in.js';
import { WarRoomPage } from './pages/war-room.js';
import { navigate, useLocation } from './router.js';
import type { IncidentSettings, Locale, Session, User } from './types.js';

type Boot =
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'setup' }
  | { state: 'signin' }
  | { state: 'ready'; user: User; settings: IncidentSettings; users: User[] };

/** The whole UI. */
export function App() {
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });
  const [guestLocale, setGuestLocale] = useState<Locale>(browserLocale);

  const enter = useCallback(async (session: Session) => {
    setCsrfToken(session.csrfToken);
    const [settings, users] = await Promise.all([
      api<IncidentSettings>('GET', '/settings/incidents'),
      api<{ users: User[] }>('GET', '/users'),
    ]);
    setBoot({ state: 'ready', user: session.user, settings, users: users.users });
  }, []);

  const start = useCallback(async () => {
    setBoot({ state: 'loading' });
    try {
      const { needsSetup } = await api<{ needsSetup: boolean }>('GET', '/setup');
      if (needsSetup) return setBoot({ state: 'setup' });
      try {
        await enter(await api<Session>('GET', '/session'));
      } catch (e) {
        if (e instanceof ApiError && e.problem.status === 401) setBoot({ state: 'signin' });
        else throw e;
      }
    } catch (e) {
      setBoot({ state: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }, [enter]);

  useEffect(() => {
    setUnauthorizedHandler(() => setBoot({ state: 'signin' }));
    void start();
  }, [start]);

  const signedIn = useCallback(async (session: Session) => {
    await enter(session);
    const path = window.location.pathname;
    if (path === '/setup' || path === '/signin') navigate('/', true);
  }, [enter]);

  const t = translator(boot.state === 'ready' ? boot.user.locale : guestLocale);
  setLanguage(boot.state === 'ready' ? boot.user.locale : guestLocale);

  if (boot.state === 'loading') return <div className="boot" aria-busy="true">{t('app.loading')}</div>;
  if (boot.state === 'error') {
    return (
      <main className="boot" role="alert">
        <p>{t('app.error')}: {boot.message}</p>
        <button type="button" onClick={() => void start()}>{t('app.retry')}</button>
      </main>
    );
  }
  if (boot.state === 'setup') return <SetupPage t={t} locale={guestLocale} setLocale={setGuestLocale} onDone={signedIn} />;
  if (boot.state === 'signin') return <SignInPage t={t} locale={guestLocale} setLocale={setGuestLocale} onDone={signedIn} />;
  return <Shell boot={boot} setBoot={setBoot} />;
}

function Shell({ boot, setBoot }: { boot: Extract<Boot, { state: 'ready' }>; setBoot: Dispatch<SetStateAction<Boot>> }) {
  const { user, settings, users } = boot;
  const ctx = useMemo<AppContextValue>(() => {
    const t = translator(user.locale);
    return {
      user, settings, users, locale: user.locale, t, canAct: user.role !== 'viewer',
      fmt: formatters(user.locale, user.timeZone, t),
      setUser: (u) => setBoot({ ...boot, user: u, users: users.map((x) => (x.id === u.id ? u : x)) }),
      setLocale: (locale) => {
        setBoot({ ...boot, user: { ...user, locale } });
        api<User>('PATCH', '/me', { locale }).catch(() => {});
      },
      reloadUsers: () => {
        api<{ users: User[] }>('GET', '/users').then((r) => setBoot((b) => (b.state === 'ready' ? { ...b, users: r.users } : b))).catch(() => {});
      },
      setSettings: (s) => setBoot((b) => (b.state === 'ready' ? { ...b, settings: s } : b)),
      signOut: () => {
        api('DELETE', '/session').catch(() => {}).finally(() => {
          setCsrfToken('');
          setBoot({ state: 'signin' });
          navigate('/', true);
        });
      },
    };
  }, [boot, user, settings, users, setBoot]);

  useEffect(() => {
    document.documentElement.lang = user.locale;
  }, [user.locale]);

  return (
    <AppContext.Provider value={ctx}>
      <a className="skip" href="#main">{ctx.t('app.skip')}</a>
      <Header />
      <main id="main" tabIndex={-1}>
        <Routes />
      </main>
    </AppContext.Provider>
  );
}

function Routes() {
  const { path } = useLocation();
  const { user, t } = useApp();
  const incident = /^\/incidents\/([^/]+)\/?$/.exec(path);
  const group = /^\/alerts\/([^/]+)\/?$/.exec(path);
  const integration = /^\/admin\/integrations\/([^/]+)\/?$/.exec(path);
  const statusPage = /^\/status-pages\/([^/]+)\/?$/.exec(path);
  const schedule = /^\/schedules\/([^/]+)\/?$/.exec(path);
  const pageMatch = /^\/pages\/([^/]+)\/?$/.exec(path);
  if (path === '/' || path === '/incidents' || path === '/setup' || path === '/signin') return <IncidentListPage />;
  if (incident?.[1]) return <WarRoomPage key={incident[1]} incidentRef={decodeURIComponent(incident[1])} />;
  if (path === '/alerts' || path === '/alerts/') return <AlertsPage />;
  if (path === '/alerts/silences') return <SilencesPage />;
  if (path === '/alerts/maintenance') return <MaintenancePage />;
  if (group?.[1]) return <AlertGroupPage key={group[1]} groupId={decodeURIComponent(group[1])} />;
  if (path === '/status-pages' || path === '/status-pages/') return <AdminStatusPagesPage />;
  if (statusPage?.[1]) return <AdminStatusPagePage key={statusPage[1]} pageRef={decodeURIComponent(statusPage[1])} />;
  if (path === '/schedules' || path === '/schedules/') return <SchedulesPage />;
  if (path === '/oncall/health' || path === '/oncall/health/') return <OnCallHealthPage />;
  if (schedule?.[1]) return <SchedulePage key={schedule[1]} scheduleId={decodeURIComponent(schedule[1])} />;
  if (path === '/pages' || path === '/pages/') return <PagesPage />;
  if (pageMatch?.[1]) return <PageDetailPage key={pageMatch[1]} pageId={decodeURIComponent(pageMatch[1])} />;
  if (path === '/profile') return <ProfilePage />;
  if (path === '/admin/integrations' && user.role === 'admin') return <AdminIntegrationsPage />;
  if (integration?.[1] && user.role === 'admin') return <AdminIntegrationPage key={integration[1]} integrationId={decodeURIComponent(integration[1])} />;
  if (path === '/admin/alert-routes' && user.role === 'admin') return <AdminAlertRoutesPage />;
  if (path === '/admin/escalation-policies' && user.role === 'admin') return <AdminEscalationPoliciesPage />;
  if (path === '/admin/users' && user.role === 'admin') return <AdminUsersPage />;
  if (path === '/admin/teams' && user.role === 'admin') return <AdminTeamsPage />;
  if (path === '/admin/settings' && user.role === 'admin') return <AdminSettingsPage />;
  if (path === '/admin/audit' && user.role === 'admin') return <AdminAuditPage />;
  return <p className="page">{t('app.notFound')}</p>;
}
