// Your name, language, time zone, password, how pages reach you, on-call shifts, calendar feeds and API tokens.
import { type FormEvent, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { CalendarFeedsPanel } from '../components/calendar-feeds.js';
import { HowPagesReachYou } from '../components/contact-methods.js';
import { describedBy, Field, FormError, useAction } from '../components/form.js';
import { MyShifts } from '../components/my-shifts.js';
import { TimeZoneInput } from '../components/time-zone-input.js';
import { TokensPanel } from '../components/tokens-panel.js';
import type { Locale, User } from '../types.js';

/** The profile page. */
export function ProfilePage() {
  const { t, user, setUser } = useApp();
  const [name, setName] = useState(user.name);
  const [locale, setLocale] = useState<Locale>(user.locale);
  const [timeZone, setTimeZone] = useState(user.timeZone);
  const [saved, setSaved] = useState(false);
  const profile = useAction();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [changed, setChanged] = useState(false);
  const password = useAction();

  const save = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    void profile.run(async () => {
      setUser(await api<User>('PATCH', '/me', { name, locale, timeZone }));
      setSaved(true);
    });
  };
  const changePassword = (e: FormEvent) => {
    e.preventDefault();
    setChanged(false);
    void password.run(async () => {
      await api<User>('PATCH', '/me', { currentPassword, newPassword });
      setCurrent('');
      setNew('');
      setChanged(true);
    });
  };
  const perr = (f: string) => profile.error?.field(f);
  const werr = (f: string) => password.error?.field(f);

  return (
    <div className="page narrow-page">
      <h1>{t('profile.title')}</h1>
      <form className="panel" onSubmit={save} noValidate>
        <FormError error={profile.error} fields={['name', 'locale', 'timeZone']} />
        <Field id="me-name" label={t('field.name')} error={perr('name')}>
          <input id="me-name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" {...describedBy('me-name', perr('name'))} />
        </Field>
        <div className="row">
          <Field id="me-locale" label={t('field.locale')} error={perr('locale')}>
            <select id="me-locale" value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
              <option value="en">English</option>
              <option value="ja">日本語</option>
            </select>
          </Field>
          <Field id="me-tz" label={t('field.timeZone')} error={perr('timeZone')}>
            <TimeZoneInput id="me-tz" value={timeZone} onChange={setTimeZone} />
          </Field>
        </div>
        <div className="actions">
          {saved ? <span className="ok-text" role="status">✓ {t('common.saved')}</span> : null}
          <button type="submit" className="primary" disabled={profile.busy}>{t('profile.save')}</button>
        </div>
      </form>

      <form className="panel" onSubmit={changePassword} noValidate aria-labelledby="pw-h">
        <h2 id="pw-h">{t('profile.password')}</h2>
        <FormError error={password.error} fields={['currentPassword', 'newPassword']} />
        <div className="row">
          <Field id="me-current" label={t('profile.currentPassword')} error={werr('currentPassword')}>
            <input id="me-current" type="password" autoComplete="current-password" value={currentPassword} onChange={(e) => setCurrent(e.target.value)} />
          </Field>
          <Field id="me-new" label={t('profile.newPassword')} hint={t('setup.passwordHint')} error={werr('newPassword')}>
            <input id="me-new" type="password" autoComplete="new-password" value={newPassword} onChange={(e) => setNew(e.target.value)} {...describedBy('me-new', werr('newPassword'), true)} />
          </Field>
        </div>
        <div className="actions">
          {changed ? <span className="ok-text" role="status">✓ {t('profile.passwordChanged')}</span> : null}
          <button type="submit" disabled={password.busy}>{t('profile.changePassword')}</button>
        </div>
      </form>

      <HowPagesReachYou userId={user.id} email={user.email} />
      <MyShifts />
      <CalendarFeedsPanel />
      <TokensPanel />
    </div>
  );
}
