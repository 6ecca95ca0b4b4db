// "How pages reach you" on the profile: contact methods (add, test, remove; a webhook's signing
// secret shown once) and the notification rules that use them. A webhook URL is a secret, so the
// server only ever shows its host and last characters.
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { CONTACT_KINDS, type ContactKind, type ContactMethod, type ContactMethodWithSecret, type NotificationRule } from '../types.js';
import { CopyButton } from './copy-button.js';
import { describedBy, Field, FormError, useAction } from './form.js';
import { NotificationRulesEditor } from './notification-rules.js';

/** The section: a person's contact methods and rules (mine; an admin may pass anyone's). */
export function HowPagesReachYou({ userId, email }: { userId: string; email: string }) {
  const { t } = useApp();
  const [methods, setMethods] = useState<ContactMethod[] | null>(null);
  const [rules, setRules] = useState<NotificationRule[] | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const base = `/users/${encodeURIComponent(userId)}`;

  const load = useCallback(() => {
    Promise.all([
      api<{ contactMethods: ContactMethod[] }>('GET', `${base}/contact-methods`),
      api<{ rules: NotificationRule[] }>('GET', `${base}/notification-rules`),
    ]).then(([m, r]) => { setMethods(m.contactMethods); setRules(r.rules); setFailed(null); })
      .catch((e: Error) => setFailed(e.message));
  }, [base]);
  useEffect(load, [load]);

  return (
    <section className="panel" aria-labelledby="reach-h" data-testid="how-pages-reach-you">
      <h2 id="reach-h">{t('contacts.title')}</h2>
      <p className="muted section-hint">{t('contacts.intro')}</p>
      {failed ? <p className="form-error" role="alert">{failed}</p> : null}
      {methods === null || rules === null ? <p className="muted">{t('app.loading')}</p> : (
        <>
          <ContactMethodsList userId={userId} methods={methods} onChanged={load} />
          <NotificationRulesEditor key={methods.map((m) => m.id).join()} userId={userId} email={email} methods={methods} rules={rules} onSaved={setRules} />
        </>
      )}
    </section>
  );
}

/** The methods table with test and remove, and the form that adds one. */
function ContactMethodsList({ userId, methods, onChanged }: { userId: string; methods: ContactMethod[]; onChanged: () => void }) {
  const { t } = useApp();
  const [created, setCreated] = useState<ContactMethodWithSecret | null>(null);
  const [tested, setTested] = useState<Record<string, { delivered: boolean; detail: string } | 'sending'>>({});
  const [confirming, setConfirming] = useState<string | null>(null);
  const row = useAction();

  const test = (m: ContactMethod) => {
    setTested((s) => ({ ...s, [m.id]: 'sending' }));
    void row.run(async () => {
      try {
        const r = await api<{ delivered: boolean; detail: string }>('POST', `/contact-methods/${encodeURIComponent(m.id)}/test`);
        setTested((s) => ({ ...s, [m.id]: r }));
      } catch (e) {
        setTested((s) => Object.fromEntries(Object.entries(s).filter(([k]) => k !== m.id)));
        throw e;
      }
    });
  };
  const remove = (m: ContactMethod) => void row.run(async () => {
    await api('DELETE', `/contact-methods/${encodeURIComponent(m.id)}`);
    setConfirming(null);
    if (created?.id === m.id) setCreated(null);
    onChanged();
  });

  return (
    <div data-testid="contact-methods">
      <h3>{t('contacts.methods')}</h3>
      {created?.signingSecret ? <SigningSecret method={created} onDismiss={() => setCreated(null)} /> : null}
      <FormError error={row.error} />
      {methods.length === 0 ? <p className="muted">{t('contacts.empty')}</p> : (
        <table className="contact-methods">
          <thead>
            <tr>
              <th scope="col">{t('contacts.colLabel')}</th><th scope="col">{t('contacts.colKind')}</th><th scope="col">{t('contacts.colWhere')}</th>
              <th scope="col"><span className="sr-only">{t('contacts.colActions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {methods.map((m) => {
              const result = tested[m.id];
              return (
                <tr key={m.id} data-testid="contact-row">
                  <td>{m.label}</td>
                  <td>{t(`paging.kind.${m.kind}`)}</td>
                  <td className="mono small">{m.hint}</td>
                  <td className="row-actions">
                    <span role="status" className="test-result">
                      {result === 'sending' ? <span className="muted">{t('contacts.testing')}</span>
                        : result ? <span className={result.delivered ? 'ok-text' : 'late-text'}>{result.delivered ? `✓ ${t('contacts.delivered')}` : `✕ ${t('contacts.notDelivered')}`} — {result.detail}</span> : null}
                    </span>
                    {confirming === m.id ? (
                      <span className="confirm-inline" role="group" aria-label={t('contacts.removeConfirm', { label: m.label })}>
                        <span className="warn-text small">{t('contacts.removeConfirm', { label: m.label })}</span>
                        <button type="button" className="small-button" onClick={() => setConfirming(null)}>{t('common.cancel')}</button>
                        <button type="button" className="small-button danger" disabled={row.busy} onClick={() => remove(m)} autoFocus>{t('contacts.removeNow')}</button>
                      </span>
                    ) : (
                      <>
                        <button type="button" className="small-button" disabled={result === 'sending'} onClick={() => test(m)}
                          aria-label={t('contacts.testOne', { label: m.label })}>{t('contacts.test')}</button>
                        <button type="button" className="small-button danger" onClick={() => setConfirming(m.id)}
                          aria-label={t('contacts.removeOne', { label: m.label })}>{t('contacts.remove')}</button>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <AddContactMethod userId={userId} onAdded={(m) => { setCreated(m); onChanged(); }} />
    </div>
  );
}

/** Kind, address and label; the address field says what it wants for the kind chosen. */
function AddContactMethod({ userId, onAdded }: { userId: string; onAdded: (m: ContactMethodWithSecret) => void }) {
  const { t } = useApp();
  const [kind, setKind] = useState<ContactKind>('email');
  const [address, setAddress] = useState('');
  const [label, setLabel] = useState('');
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const made = await api<ContactMethodWithSecret>('POST', `/users/${encodeURIComponent(userId)}/contact-methods`, {
        kind, address, ...(label.trim() ? { label: label.trim() } : {}),
      });
      setAddress('');
      setLabel('');
      onAdded(made);
    });
  };
  const err = (f: string) => error?.field(f);
  return (
    <form onSubmit={submit} noValidate className="subform" aria-labelledby="add-contact-h" data-testid="add-contact">
      <h4 id="add-contact-h">{t('contacts.add')}</h4>
      <FormError error={error} fields={['kind', 'address', 'label']} />
      <div className="row">
        <Field id="contact-kind" label={t('contacts.kind')} error={err('kind')} className="narrow">
          <select id="contact-kind" value={kind} onChange={(e) => setKind(e.target.value as ContactKind)}>
            {CONTACT_KINDS.map((k) => <option key={k} value={k}>{t(`paging.kind.${k}`)}</option>)}
          </select>
        </Field>
        <Field id="contact-address" label={kind === 'email' ? t('contacts.addressEmail') : t('contacts.addressUrl')} hint={t(`contacts.addressHint.${kind}`)} error={err('address')}>
          <input id="contact-address" type={kind === 'email' ? 'email' : 'url'} value={address} onChange={(e) => setAddress(e.target.value)}
            autoComplete={kind === 'email' ? 'email' : 'off'} {...describedBy('contact-address', err('address'), true)} />
        </Field>
        <Field id="contact-label" label={t('contacts.label')} hint={t('contacts.labelHint')} error={err('label')}>
          <input id="contact-label" value={label} maxLength={120} onChange={(e) => setLabel(e.target.value)} {...describedBy('contact-label', err('label'), true)} />
        </Field>
      </div>
      <div className="actions"><button type="submit" disabled={busy}>{t('contacts.add')}</button></div>
    </form>
  );
}

/** A new webhook's signing secret, with a copy button and the warning that it will not be shown again. */
function SigningSecret({ method, onDismiss }: { method: ContactMethodWithSecret; onDismiss: () => void }) {
  const { t } = useApp();
  const secret = method.signingSecret ?? '';
  return (
    <div className="secret key-panel" role="status" data-testid="signing-secret-panel">
      <h4><span aria-hidden="true">⚠</span> {t('contacts.secretOnce')}</h4>
      <p className="hint">{t('contacts.secretHint', { hint: method.hint })}</p>
      <div className="secret-row">
        <code data-testid="signing-secret">{secret}</code>
        <CopyButton text={secret} ariaLabel={t('contacts.copySecret')} />
      </div>
      <div className="actions"><button type="button" onClick={onDismiss}>{t('contacts.secretStored')}</button></div>
    </div>
  );
}
