// Admin: create users, change their role, disable or enable them.
import { type FormEvent, useState } from 'react';
import { api } from '../api.js';
import { browserTimeZone, useApp } from '../app-context.js';
import { describedBy, Field, FormError, useAction } from '../components/form.js';
import { ACCOUNT_ROLES, type AccountRole, type Locale, type User } from '../types.js';

/** The users page. */
export function AdminUsersPage() {
  const { t, users, user: me, reloadUsers } = useApp();
  const row = useAction();
  return (
    <div className="page">
      <h1>{t('users.title')}</h1>
      <FormError error={row.error} />
      <table className="users">
        <thead>
          <tr>
            <th scope="col">{t('users.colName')}</th><th scope="col">{t('users.colEmail')}</th>
            <th scope="col">{t('users.colRole')}</th><th scope="col">{t('users.colStatus')}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => <UserRow key={u.id} u={u} self={u.id === me.id} action={row} reload={reloadUsers} />)}
        </tbody>
      </table>
      <NewUserForm reload={reloadUsers} />
    </div>
  );
}

function UserRow({ u, self, action, reload }: { u: User; self: boolean; action: ReturnType<typeof useAction>; reload: () => void }) {
  const { t } = useApp();
  const [role, setRole] = useState<AccountRole>(u.role);
  const patch = (body: Partial<Pick<User, 'role' | 'disabled'>>) => void action.run(async () => { await api('PATCH', `/users/${u.id}`, body); reload(); });
  return (
    <tr className={u.disabled ? 'muted' : ''}>
      <td>{u.name}</td>
      <td>{u.email}</td>
      <td>
        <form className="inline" onSubmit={(e) => { e.preventDefault(); patch({ role }); }}>
          <label htmlFor={`role-${u.id}`} className="sr-only">{t('users.colRole')}</label>
          <select id={`role-${u.id}`} value={role} onChange={(e) => setRole(e.target.value as AccountRole)} disabled={self}>
            {ACCOUNT_ROLES.map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
          </select>
          <button type="submit" disabled={action.busy || role === u.role}>{t('users.setRole')}</button>
        </form>
      </td>
      <td>
        <span className={u.disabled ? 'late-text' : 'ok-text'}>{u.disabled ? t('users.disabled') : t('users.active')}</span>{' '}
        {self ? null : (
          <button type="button" className={u.disabled ? '' : 'danger'} disabled={action.busy} onClick={() => patch({ disabled: !u.disabled })}>
            {u.disabled ? t('users.enable') : t('users.disable')}
          </button>
        )}
      </td>
    </tr>
  );
}

function NewUserForm({ reload }: { reload: () => void }) {
  const { t } = useApp();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<AccountRole>('responder');
  const [password, setPassword] = useState('');
  const [locale, setLocale] = useState<Locale>('en');
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api('POST', '/users', { email, name, role, password, locale, timeZone: browserTimeZone() });
      setEmail('');
      setName('');
      setPassword('');
      reload();
    });
  };
  const err = (f: string) => error?.field(f);
  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby="user-new-h">
      <h2 id="user-new-h">{t('users.new')}</h2>
      <FormError error={error} fields={['name', 'email', 'role', 'locale', 'password']} />
      <div className="row">
        <Field id="new-user-name" label={t('field.name')} error={err('name')}>
          <input id="new-user-name" value={name} onChange={(e) => setName(e.target.value)} {...describedBy('new-user-name', err('name'))} />
        </Field>
        <Field id="new-user-email" label={t('field.email')} error={err('email')}>
          <input id="new-user-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} {...describedBy('new-user-email', err('email'))} />
        </Field>
      </div>
      <div className="row">
        <Field id="new-user-role" label={t('field.role')} error={err('role')}>
          <select id="new-user-role" value={role} onChange={(e) => setRole(e.target.value as AccountRole)}>
            {ACCOUNT_ROLES.map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
          </select>
        </Field>
        <Field id="new-user-locale" label={t('field.locale')} error={err('locale')}>
          <select id="new-user-locale" value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
            <option value="en">English</option>
            <option value="ja">日本語</option>
          </select>
        </Field>
        <Field id="new-user-password" label={t('field.password')} hint={t('setup.passwordHint')} error={err('password')}>
          <input id="new-user-password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} {...describedBy('new-user-password', err('password'), true)} />
        </Field>
      </div>
      <div className="actions"><button type="submit" className="primary" disabled={busy}>{t('users.create')}</button></div>
    </form>
  );
}
