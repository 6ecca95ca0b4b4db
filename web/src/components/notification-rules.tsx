// Notification rules: "this contact method, N minutes after a page reaches me if still unacknowledged",
// edited as a list and saved whole. With none, the server e-mails the sign-in address at once.
import { type FormEvent, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import type { ContactMethod, NotificationRule } from '../types.js';
import { FormError, problemAt, useAction } from './form.js';

interface RuleDraft { key: number; contactMethodId: string; delay: string }

let nextKey = 1;
const toDraft = (r?: NotificationRule): RuleDraft => ({ key: nextKey++, contactMethodId: r?.contactMethodId ?? '', delay: String(r?.delayMinutes ?? 0) });

/** The editor; `rules` are the saved ones (the parent remounts it when the contact methods change, which can drop rules). */
export function NotificationRulesEditor({ userId, email, methods, rules, onSaved }: {
  userId: string; email: string; methods: ContactMethod[]; rules: NotificationRule[]; onSaved: (rules: NotificationRule[]) => void;
}) {
  const { t } = useApp();
  const [drafts, setDrafts] = useState<RuleDraft[]>(() => rules.map(toDraft));
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();
  const body = (ds: RuleDraft[]) => ({ rules: ds.map((d) => ({ contactMethodId: d.contactMethodId, delayMinutes: Number(d.delay) })) });
  const dirty = JSON.stringify(body(drafts)) !== JSON.stringify(body(rules.map(toDraft)));
  const edit = (key: number, patch: Partial<RuleDraft>) => { setSaved(false); setDrafts(drafts.map((d) => (d.key === key ? { ...d, ...patch } : d))); };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await api<{ rules: NotificationRule[] }>('PUT', `/users/${encodeURIComponent(userId)}/notification-rules`, body(drafts));
      setSaved(true);
      setDrafts(r.rules.map(toDraft));
      onSaved(r.rules);
    });
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="rules-h" data-testid="notification-rules">
      <h3 id="rules-h">{t('rules.title')}</h3>
      <p className="hint">{t('rules.hint')}</p>
      <p className={rules.length === 0 ? 'notice small' : 'hint'} data-testid="rules-default">{t('rules.default', { email })}</p>
      <FormError error={error} fields={drafts.map((_, i) => `rules.${i}`)} />
      {methods.length === 0 && drafts.length === 0 ? <p className="muted">{t('rules.noMethods')}</p> : null}
      {drafts.length === 0 && methods.length > 0 ? <p className="muted">{t('rules.none')}</p> : null}
      {drafts.length > 0 ? (
        <ol className="rule-list">
          {drafts.map((d, i) => {
            const n = i + 1;
            const rid = `rule-${d.key}`;
            const methodError = problemAt(error, `rules.${i}.contactMethodId`);
            const delayError = problemAt(error, `rules.${i}.delayMinutes`);
            return (
              <li key={d.key} className={methodError || delayError ? 'has-error' : undefined} data-testid="rule-row">
                <span className="rule-index">{t('rules.rule', { n })}</span>
                <label className="sr-only" htmlFor={`${rid}-method`}>{t('rules.method', { n })}</label>
                <select id={`${rid}-method`} value={d.contactMethodId} onChange={(e) => edit(d.key, { contactMethodId: e.target.value })}
                  aria-invalid={methodError ? true : undefined} aria-describedby={methodError ? `${rid}-error` : undefined}>
                  <option value="">{t('common.choose')}</option>
                  {methods.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
                </select>
                <label htmlFor={`${rid}-delay`}>{t('rules.afterShort')}</label>
                <input id={`${rid}-delay`} type="number" min={0} max={1440} className="delay-input" value={d.delay} aria-label={t('rules.after', { n })}
                  onChange={(e) => edit(d.key, { delay: e.target.value })} aria-invalid={delayError ? true : undefined}
                  aria-describedby={[`rules-after-hint`, delayError ? `${rid}-error` : ''].filter(Boolean).join(' ')} />
                <span className="muted small">{Number(d.delay) > 0 ? t('rules.afterN', { n: Number(d.delay) }) : t('rules.atOnce')}</span>
                <button type="button" className="small-button danger" onClick={() => { setSaved(false); setDrafts(drafts.filter((x) => x.key !== d.key)); }}
                  aria-label={t('rules.remove', { n })}>✕</button>
                {methodError || delayError ? <p className="field-error" id={`${rid}-error`} role="alert">{[methodError, delayError].filter(Boolean).join(' · ')}</p> : null}
              </li>
            );
          })}
        </ol>
      ) : null}
      <p className="hint" id="rules-after-hint">{t('rules.afterHint')}</p>
      <div className="actions rules-actions">
        <button type="button" disabled={methods.length === 0 || drafts.length >= 20} onClick={() => { setSaved(false); setDrafts([...drafts, toDraft()]); }}>+ {t('rules.add')}</button>
        <span role="status">
          {saved && !dirty ? <span className="ok-text">✓ {t('common.saved')}</span> : dirty ? <span className="warn-text">{t('settings.unsaved')}</span> : null}
        </span>
        <button type="submit" className="primary" disabled={busy || !dirty}>{t('rules.save')}</button>
      </div>
    </form>
  );
}
