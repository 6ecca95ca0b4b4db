// API tokens: create (the secret is shown once), list with last use, revoke.
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import type { Token } from '../types.js';
import { CopyButton } from './copy-button.js';
import { Field, FormError, useAction } from './form.js';

/** The tokens panel of the profile page. */
export function TokensPanel() {
  const { t, fmt } = useApp();
  const [tokens, setTokens] = useState<Token[]>([]);
  const [name, setName] = useState('');
  const [days, setDays] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const create = useAction();
  const revoke = useAction();

  const load = useCallback(() => {
    api<{ tokens: Token[] }>('GET', '/tokens').then((r) => setTokens(r.tokens)).catch(() => {});
  }, []);
  useEffect(load, [load]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSecret(null);
    void create.run(async () => {
      const created = await api<Token>('POST', '/tokens', { name, ...(days ? { expiresInDays: Number(days) } : {}) });
      setSecret(created.token ?? null);
      setName('');
      setDays('');
      load();
    });
  };

  return (
    <section className="panel" aria-labelledby="tokens-h">
      <h2 id="tokens-h">{t('tokens.title')}</h2>
      <p className="muted">{t('tokens.intro')}</p>
      <form onSubmit={submit} noValidate>
        <FormError error={create.error} fields={['name', 'expiresInDays']} />
        <div className="row">
          <Field id="token-name" label={t('tokens.name')} error={create.error?.field('name')}>
            <input id="token-name" value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field id="token-days" label={t('tokens.expires')} error={create.error?.field('expiresInDays')} className="narrow">
            <input id="token-days" type="number" min={1} value={days} onChange={(e) => setDays(e.target.value)} />
          </Field>
        </div>
        <div className="actions"><button type="submit" className="primary" disabled={create.busy}>{t('tokens.create')}</button></div>
      </form>
      {secret ? (
        <div className="secret" role="status">
          <p>{t('tokens.secret')}</p>
          <div className="secret-row">
            <code data-testid="token-secret">{secret}</code>
            <CopyButton text={secret} />
          </div>
        </div>
      ) : null}
      <FormError error={revoke.error} />
      {tokens.length === 0 ? <p className="muted">{t('tokens.empty')}</p> : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('tokens.colName')}</th><th scope="col">{t('tokens.colPrefix')}</th><th scope="col">{t('tokens.colCreated')}</th>
              <th scope="col">{t('tokens.colLastUsed')}</th><th scope="col">{t('tokens.colExpires')}</th><th scope="col"><span className="sr-only">{t('tokens.revoke')}</span></th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((k) => (
              <tr key={k.id} className={k.revokedAt ? 'muted' : ''}>
                <td>{k.name}</td>
                <td className="mono">{k.prefix}…</td>
                <td>{fmt.dateTime(k.createdAt)}</td>
                <td>{k.lastUsedAt ? fmt.dateTime(k.lastUsedAt) : t('common.never')}</td>
                <td>{k.expiresAt ? fmt.dateTime(k.expiresAt) : t('common.dash')}</td>
                <td>
                  {k.revokedAt ? t('tokens.revoked') : (
                    <button type="button" className="danger" disabled={revoke.busy}
                      onClick={() => void revoke.run(async () => { await api('DELETE', `/tokens/${k.id}`); load(); })}>{t('tokens.revoke')}</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
