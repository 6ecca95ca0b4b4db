// First start: create the first admin with the one-time token from the setup link.
import { type FormEvent, useState } from 'react';
import { api } from '../api.js';
import { browserTimeZone } from '../app-context.js';
import { describedBy, Field, FormError, useAction } from '../components/form.js';
import { GuestLanguage } from '../components/header.js';
import { TimeZoneInput } from '../components/time-zone-input.js';
import type { Translate } from '../i18n/index.js';
import { useLocation } from '../router.js';
import type { Locale, Session } from '../types.js';

/** The setup page. */
export function SetupPage({ t, locale, setLocale, onDone }: {
  t: Translate; locale: Locale; setLocale: (l: Locale) => void; onDone: (s: Session) => Promise<void>;
}) {
  const { search } = useLocation();
  const token = search.get('token') ?? '';
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [timeZone, setTimeZone] = useState(browserTimeZone);
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => onDone(await api<Session>('POST', '/setup', { token, email, name, password, locale, timeZone })));
  };
  const err = (f: string) => error?.field(f);
  return (
    <main className="door" id="main">
      <form className="card door-card" onSubmit={submit} noValidate>
        <div className="door-head">
          <h1><span className="brand-mark" aria-hidden="true">火</span> {t('setup.title')}</h1>
          <GuestLanguage locale={locale} setLocale={setLocale} />
        </div>
        {token ? <p className="muted">{t('setup.intro')}</p> : <p className="notice" role="alert">{t('setup.noToken')}</p>}
        <FormError error={error} fields={['name', 'email', 'password', 'timeZone', 'token']} />
        <Field id="setup-name" label={t('setup.name')} error={err('name')}>
          <input id="setup-name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} autoFocus {...describedBy('setup-name', err('name'))} />
        </Field>
        <Field id="setup-email" label={t('field.email')} error={err('email')}>
          <input id="setup-email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} {...describedBy('setup-email', err('email'))} />
        </Field>
        <Field id="setup-password" label={t('field.password')} hint={t('setup.passwordHint')} error={err('password')}>
          <input id="setup-password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} {...describedBy('setup-password', err('password'), true)} />
        </Field>
        <Field id="setup-tz" label={t('field.timeZone')} error={err('timeZone')}>
          <TimeZoneInput id="setup-tz" value={timeZone} onChange={setTimeZone} />
        </Field>
        {err('token') ? <p className="field-error" role="alert">{err('token')}</p> : null}
        <button type="submit" className="primary" disabled={busy || !token}>{t('setup.submit')}</button>
      </form>
    </main>
  );
}
