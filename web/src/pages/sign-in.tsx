// Sign in with e-mail and password.
import { type FormEvent, useState } from 'react';
import { api } from '../api.js';
import { describedBy, Field, FormError, useAction } from '../components/form.js';
import { GuestLanguage } from '../components/header.js';
import type { Translate } from '../i18n/index.js';
import type { Locale, Session } from '../types.js';

/** The sign-in page. */
export function SignInPage({ t, locale, setLocale, onDone }: {
  t: Translate; locale: Locale; setLocale: (l: Locale) => void; onDone: (s: Session) => Promise<void>;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => onDone(await api<Session>('POST', '/session', { email, password })));
  };
  return (
    <main className="door" id="main">
      <form className="card door-card" onSubmit={submit} noValidate>
        <div className="door-head">
          <h1><span className="brand-mark" aria-hidden="true">火</span> {t('signin.title')}</h1>
          <GuestLanguage locale={locale} setLocale={setLocale} />
        </div>
        <FormError error={error} fields={['email', 'password']} />
        <Field id="signin-email" label={t('signin.email')} error={error?.field('email')}>
          <input id="signin-email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} autoFocus {...describedBy('signin-email', error?.field('email'))} />
        </Field>
        <Field id="signin-password" label={t('signin.password')} error={error?.field('password')}>
          <input id="signin-password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} {...describedBy('signin-password', error?.field('password'))} />
        </Field>
        <button type="submit" className="primary" disabled={busy}>{t('signin.submit')}</button>
      </form>
    </main>
  );
}
