// The top bar: where you are, where you can go, language and sign-out.
import { useApp } from '../app-context.js';
import { useNow } from '../live.js';
import { Link, useLocation } from '../router.js';

/** The app header. */
export function Header() {
  const { user, t, locale, setLocale, signOut } = useApp();
  const { path } = useLocation();
  const current = (to: string) => (to === '/' ? path === '/' || path.startsWith('/incidents') : path.startsWith(to)) ? 'page' as const : undefined;
  return (
    <header className="top">
      <Link to="/" className="brand" aria-label="Hikeshi">
        <span className="brand-mark" aria-hidden="true">火</span>
        <span>{t('app.name')}</span>
      </Link>
      <nav aria-label="Main">
        <Link to="/" aria-current={current('/')}>{t('nav.incidents')}</Link>
        <Link to="/alerts" aria-current={current('/alerts')}>{t('nav.alerts')}</Link>
        <Link to="/schedules" aria-current={current('/schedules') ?? current('/oncall')}>{t('nav.oncall')}</Link>
        <Link to="/pages" aria-current={current('/pages')}>{t('nav.pages')}</Link>
        <Link to="/status-pages" aria-current={current('/status-pages')}>{t('nav.statusPages')}</Link>
        {user.role === 'admin' ? (
          <>
            <Link to="/admin/integrations" aria-current={['/admin/integrations', '/admin/alert-routes', '/admin/escalation-policies'].some((p) => path.startsWith(p)) ? 'page' : undefined}>{t('nav.integrations')}</Link>
            <Link to="/admin/users" aria-current={current('/admin/users')}>{t('nav.users')}</Link>
            <Link to="/admin/teams" aria-current={current('/admin/teams')}>{t('nav.teams')}</Link>
            <Link to="/admin/settings" aria-current={current('/admin/settings')}>{t('nav.settings')}</Link>
            <Link to="/admin/audit" aria-current={current('/admin/audit')}>{t('nav.audit')}</Link>
          </>
        ) : null}
      </nav>
      <div className="top-right">
        <NowClock />
        <div className="lang" role="group" aria-label={t('nav.language')}>
          <button type="button" aria-pressed={locale === 'en'} onClick={() => setLocale('en')} lang="en">EN</button>
          <button type="button" aria-pressed={locale === 'ja'} onClick={() => setLocale('ja')} lang="ja">日本語</button>
        </div>
        <Link to="/profile" aria-current={current('/profile')} className="me">{user.name}</Link>
        <button type="button" className="ghost" onClick={signOut}>{t('nav.signOut')}</button>
      </div>
    </header>
  );
}

/** Language buttons for pages before sign-in. */
export function GuestLanguage({ locale, setLocale }: { locale: 'en' | 'ja'; setLocale: (l: 'en' | 'ja') => void }) {
  return (
    <div className="lang" role="group" aria-label="Language / 言語">
      <button type="button" aria-pressed={locale === 'en'} onClick={() => setLocale('en')} lang="en">EN</button>
      <button type="button" aria-pressed={locale === 'ja'} onClick={() => setLocale('ja')} lang="ja">日本語</button>
    </div>
  );
}

/** The time now in the user's zone, so "14:05" in a message can be placed at a glance. */
function NowClock() {
  const { user, locale } = useApp();
  const now = useNow(10_000);
  let text: string;
  try {
    text = new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', { timeZone: user.timeZone, hour: '2-digit', minute: '2-digit', hour12: false, timeZoneName: 'short' }).format(now);
  } catch {
    text = new Date(now).toISOString().slice(11, 16) + ' UTC';
  }
  return <time className="now-clock" title={user.timeZone} dateTime={new Date(now).toISOString()}>{text}</time>;
}
