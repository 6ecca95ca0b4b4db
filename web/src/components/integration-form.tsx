// An integration's settings (name, grouping, group wait, rate limit, the source's own config) and its
// paste-ready snippets; the key panel that shows a new key once.
import { type FormEvent, type ReactNode, useState } from 'react';
import { useApp } from '../app-context.js';
import type { Integration, IntegrationWithKey, Snippet, SourceInfo } from '../types.js';
import { ConfigFields, configDraft, configFields, configFromDraft } from './config-form.js';
import { CopyButton } from './copy-button.js';
import { describedBy, Field, FormError, problemAt, useAction } from './form.js';

/** What the form sends (create adds the source). */
export interface IntegrationBody {
  name: string; config: Record<string, unknown>; groupBy?: string[]; groupWaitSeconds: number; rateLimitPerMinute: number;
}

/** The settings form; `existing` for an edit. */
export function IntegrationForm({ id, source, existing, submitLabel, onSubmit, children }: {
  id: string; source: SourceInfo; existing?: Integration; submitLabel: string;
  onSubmit: (body: IntegrationBody) => Promise<unknown>; children?: ReactNode;
}) {
  const { t, locale } = useApp();
  const fields = configFields(source.configSchema);
  const [name, setName] = useState(existing?.name ?? source.name[locale]);
  const [groupBy, setGroupBy] = useState(existing ? existing.groupBy.join(', ') : '');
  const [wait, setWait] = useState(String(existing?.groupWaitSeconds ?? 0));
  const [rate, setRate] = useState(String(existing?.rateLimitPerMinute ?? 6000));
  const [draft, setDraft] = useState(() => configDraft(fields, existing?.config));
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const { busy, error, run } = useAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { config, errors } = configFromDraft(fields, draft, (kind) => (kind === 'json' ? t('integrations.badJson') : t('integrations.badNumber')));
    setClientErrors(errors);
    if (Object.keys(errors).length) return;
    const labels = groupBy.split(',').map((s) => s.trim()).filter(Boolean);
    void run(() => onSubmit({
      name, config,
      // Empty means the source's default grouping.
      ...(labels.length ? { groupBy: labels } : existing ? { groupBy: source.defaultGroupBy } : {}),
      groupWaitSeconds: Number(wait), rateLimitPerMinute: Number(rate),
    }));
  };
  // The config fields show their own errors (config.mapping.title belongs to "mapping"), unless the key is unknown to the form.
  const shownInConfig = (error?.problem.errors ?? []).map((e) => e.field)
    .filter((f) => fields.some((c) => f === `body.config.${c.key}` || f.startsWith(`body.config.${c.key}.`)));
  const err = (f: string) => problemAt(error, f) ?? (f === 'groupBy' ? (error?.problem.errors ?? []).filter((x) => x.field.startsWith('body.groupBy.')).map((x) => x.message).join(' · ') || undefined : undefined);

  return (
    <form onSubmit={submit} noValidate className="integration-form" data-testid={`${id}-form`}>
      {children}
      <FormError error={error} fields={['name', 'groupBy', 'groupWaitSeconds', 'rateLimitPerMinute', ...shownInConfig]} />
      <Field id={`${id}-name`} label={t('integrations.name')} hint={t('integrations.nameHint')} error={err('name')}>
        <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} {...describedBy(`${id}-name`, err('name'), true)} />
      </Field>
      <div className="row">
        <Field id={`${id}-group-by`} label={t('integrations.groupBy')} error={err('groupBy')}
          hint={t('integrations.groupByHint', { labels: source.defaultGroupBy.join(', ') || t('common.none') })}>
          <input id={`${id}-group-by`} className="mono" value={groupBy} placeholder={source.defaultGroupBy.join(', ')}
            onChange={(e) => setGroupBy(e.target.value)} {...describedBy(`${id}-group-by`, err('groupBy'), true)} />
        </Field>
        <Field id={`${id}-wait`} label={t('integrations.groupWait')} hint={t('integrations.groupWaitHint')} error={err('groupWaitSeconds')} className="narrow">
          <input id={`${id}-wait`} type="number" min={0} max={3600} value={wait} onChange={(e) => setWait(e.target.value)} {...describedBy(`${id}-wait`, err('groupWaitSeconds'), true)} />
        </Field>
        <Field id={`${id}-rate`} label={t('integrations.rateLimit')} hint={t('integrations.rateLimitHint')} error={err('rateLimitPerMinute')} className="narrow">
          <input id={`${id}-rate`} type="number" min={1} value={rate} onChange={(e) => setRate(e.target.value)} {...describedBy(`${id}-rate`, err('rateLimitPerMinute'), true)} />
        </Field>
      </div>
      <fieldset className="config">
        <legend>{t('integrations.config', { source: source.name[locale] })}</legend>
        <ConfigFields id={`${id}-config`} fields={fields} draft={draft} onChange={setDraft} error={error} clientErrors={clientErrors} />
      </fieldset>
      <div className="actions"><button type="submit" className="primary" disabled={busy}>{submitLabel}</button></div>
    </form>
  );
}

/** Paste-ready configuration, each with where it goes (in the reader's language) and a copy button. */
export function Snippets({ snippets }: { snippets: Snippet[] }) {
  const { t, locale } = useApp();
  if (!snippets.length) return null;
  return (
    <div className="snippets">
      {snippets.map((s, i) => (
        <section key={i} className="snippet" aria-labelledby={`snippet-${i}-h`} data-testid="snippet">
          <div className="snippet-head">
            <h3 id={`snippet-${i}-h`}>{s.target}</h3>
            <CopyButton text={s.code} ariaLabel={t('integrations.copyTarget', { target: s.target })} />
          </div>
          <p className="hint">{s.hint[locale]}</p>
          <pre className={`code lang-${s.language}`}><code>{s.code}</code></pre>
        </section>
      ))}
    </div>
  );
}

/** "Copy this now — the key is shown once": the key and the snippets filled in with it. */
export function KeyPanel({ created, onDismiss }: { created: IntegrationWithKey; onDismiss: () => void }) {
  const { t } = useApp();
  return (
    <section className="secret key-panel" aria-labelledby="key-panel-h" data-testid="key-panel">
      <h2 id="key-panel-h"><span aria-hidden="true">⚠</span> {t('integrations.keyOnce')}</h2>
      <p className="hint">{t('integrations.keyOnceHint', { name: created.name })}</p>
      <div className="secret-row">
        <code data-testid="integration-key">{created.key}</code>
        <CopyButton text={created.key} ariaLabel={t('integrations.copyKey')} />
      </div>
      {created.urls[0] ? (
        <div className="secret-row">
          <code>{created.urls[0]}</code>
          <CopyButton text={created.urls[0]} ariaLabel={t('integrations.copyUrl')} />
        </div>
      ) : null}
      <Snippets snippets={created.snippets} />
      <div className="actions"><button type="button" onClick={onDismiss}>{t('integrations.keyStored')}</button></div>
    </section>
  );
}
