// Admin: who hears about a page's incidents and maintenance. Adding a webhook shows its signing
// secret once (with a copy button); each subscriber can be sent a test or removed (confirmed in place).
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { useNow } from '../live.js';
import type { StatusPageDetail, StatusSubscriber, StatusSubscriberPage, StatusSubscriberWithSecret } from '../types.js';
import { CopyButton } from './copy-button.js';
import { CheckGrid, describedBy, Field, FormError, problemAt, useAction, useChosen } from './form.js';

/** The subscribers panel of a page. */
export function StatusSubscribers({ page, base }: { page: StatusPageDetail; base: string }) {
  const { t, fmt } = useApp();
  const now = useNow(30_000);
  const [subscribers, setSubscribers] = useState<StatusSubscriber[] | null>(null);
  const [more, setMore] = useState<{ nextBefore: string | null; counts: StatusSubscriberPage['counts'] } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [adding, setAdding] = useState<'webhook' | 'email' | null>(null);
  const [created, setCreated] = useState<StatusSubscriberWithSecret | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [tested, setTested] = useState<{ id: string; deliveryId: string } | null>(null);
  const action = useAction();
  const names = new Map(page.components.map((c) => [c.id, c.name]));

  const load = useCallback(() => {
    api<StatusSubscriberPage>('GET', `${base}/subscribers?limit=100`)
      .then((r) => { setSubscribers(r.subscribers); setMore({ nextBefore: r.nextBefore, counts: r.counts }); setFailed(null); })
      .catch((e: Error) => setFailed(e.message));
  }, [base]);
  useEffect(load, [load]);
  const loadMore = () => {
    if (!more?.nextBefore) return;
    api<StatusSubscriberPage>('GET', `${base}/subscribers?limit=100&before=${encodeURIComponent(more.nextBefore)}`)
      .then((r) => { setSubscribers((s) => [...(s ?? []), ...r.subscribers]); setMore({ nextBefore: r.nextBefore, counts: r.counts }); })
      .catch((e: Error) => setFailed(e.message));
  };

  const remove = (s: StatusSubscriber) => void action.run(async () => {
    await api('DELETE', `${base}/subscribers/${encodeURIComponent(s.id)}`);
    setConfirming(null);
    load();
  });
  const test = (s: StatusSubscriber) => {
    setTested(null);
    void action.run(async () => {
      // The test goes through the outbox like every message; the receiver sees this delivery id.
      const r = await api<{ deliveryId: string }>('POST', `${base}/subscribers/${encodeURIComponent(s.id)}/test`);
      setTested({ id: s.id, deliveryId: r.deliveryId });
    });
  };

  return (
    <section className="panel" aria-labelledby="subscribers-h" data-testid="status-subscribers">
      <div className="panel-head">
        <h2 id="subscribers-h">{t('status.subscribers')}</h2>
        {adding ? null : (
          <span className="row-actions">
            <button type="button" onClick={() => { setAdding('webhook'); setCreated(null); }}>+ {t('status.addWebhook')}</button>
            <button type="button" onClick={() => { setAdding('email'); setCreated(null); }}>+ {t('status.addEmail')}</button>
          </span>
        )}
      </div>
      <p className="muted section-hint">{t('status.subscribersHint')}</p>
      {more && (more.counts.active || more.counts.pending || more.counts.unsubscribed) ? (
        <p className="small" data-testid="subscriber-counts">
          {(['active', 'pending', 'unsubscribed'] as const).map((k) => `${t(`status.state.${k}`)}: ${fmt.number(more.counts[k])}`).join(' · ')}
        </p>
      ) : null}
      {created?.secret ? (
        <div className="secret key-panel" role="status" data-testid="subscriber-secret">
          <h3><span aria-hidden="true">⚠</span> {t('status.secretOnce')}</h3>
          <p className="hint">{t('status.secretOnceHint')}</p>
          <div className="secret-row">
            <code data-testid="webhook-secret">{created.secret}</code>
            <CopyButton text={created.secret} ariaLabel={t('status.copySecret')} />
          </div>
          <div className="actions"><button type="button" onClick={() => setCreated(null)}>{t('status.secretStored')}</button></div>
        </div>
      ) : null}
      {adding ? (
        <AddSubscriberForm kind={adding} page={page} base={base} onCancel={() => setAdding(null)}
          onDone={(s) => { setAdding(null); setCreated(s); load(); }} />
      ) : null}
      {failed ? <p className="form-error" role="alert">{failed}</p> : null}
      <FormError error={action.error} />
      {subscribers === null ? (failed ? null : <p className="muted">{t('app.loading')}</p>) : subscribers.length === 0 ? <p className="empty">{t('status.noSubscribers')}</p> : (
        <table className="subscribers" data-testid="subscribers">
          <thead>
            <tr>
              <th scope="col">{t('status.colKind')}</th>
              <th scope="col">{t('status.colTarget')}</th>
              <th scope="col">{t('status.colScope')}</th>
              <th scope="col">{t('status.colState')}</th>
              <th scope="col">{t('status.colAdded')}</th>
              <th scope="col"><span className="sr-only">{t('status.sendTest')}</span></th>
            </tr>
          </thead>
          <tbody>
            {subscribers.map((s) => (
              <tr key={s.id} data-testid="subscriber-row">
                <td>{t(`status.kind.${s.kind}`)}</td>
                <td className="mono target-cell">{s.target}</td>
                <td>{s.componentIds?.length ? s.componentIds.map((id) => names.get(id) ?? id).join(', ') : <span className="muted">{t('status.allComponents')}</span>}</td>
                <td>{s.state === 'active' ? <span className="ok-text">{t('status.state.active')}</span> : <span className="muted">{t(`status.state.${s.state}`)}</span>}</td>
                <td className="nowrap"><time dateTime={s.createdAt} title={fmt.dateTime(s.createdAt)}>{fmt.ago(s.createdAt, now)}</time></td>
                <td className="row-actions">
                  {confirming === s.id ? (
                    <span className="confirm-inline" role="group" aria-label={t('status.removeOf', { target: s.target })}>
                      <button type="button" className="small-button" onClick={() => setConfirming(null)}>{t('common.cancel')}</button>
                      <button type="button" className="small-button danger" disabled={action.busy} onClick={() => remove(s)} autoFocus>{t('status.remove')}</button>
                    </span>
                  ) : (
                    <>
                      <button type="button" className="small-button" disabled={action.busy || s.state === 'unsubscribed'} aria-label={t('status.sendTestOf', { target: s.target })} onClick={() => test(s)}>{t('status.sendTest')}</button>
                      <button type="button" className="small-button danger" aria-label={t('status.removeOf', { target: s.target })} onClick={() => setConfirming(s.id)}>{t('status.remove')}</button>
                    </>
                  )}
                  {tested?.id === s.id ? <div role="status" className="small ok-text" data-testid="test-queued">{t('status.testQueued', { id: tested.deliveryId })}</div> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {more?.nextBefore ? <div className="actions load-more"><button type="button" onClick={loadMore}>{t('alerts.loadMore')}</button></div> : null}
    </section>
  );
}

/** A webhook URL (optionally for some components) or an e-mail address. */
function AddSubscriberForm({ kind, page, base, onDone, onCancel }: {
  kind: 'webhook' | 'email'; page: StatusPageDetail; base: string; onDone: (s: StatusSubscriberWithSecret) => void; onCancel: () => void;
}) {
  const { t } = useApp();
  const [target, setTarget] = useState('');
  const { chosen, toggle } = useChosen();
  const { busy, error, run } = useAction();
  const field = kind === 'webhook' ? 'url' : 'email';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const body = kind === 'webhook'
        ? { kind, url: target.trim(), ...(chosen.size ? { componentIds: [...chosen] } : {}) }
        : { kind, email: target.trim(), ...(chosen.size ? { componentIds: [...chosen] } : {}) };
      onDone(await api<StatusSubscriberWithSecret>('POST', `${base}/subscribers`, body));
    });
  };
  const targetErr = problemAt(error, field);
  return (
    <form className="subform" onSubmit={submit} noValidate aria-labelledby="add-subscriber-h" data-testid="add-subscriber">
      <h3 id="add-subscriber-h">{kind === 'webhook' ? t('status.addWebhook') : t('status.addEmail')}</h3>
      <FormError error={error} fields={[field, 'componentIds']} />
      <Field id="subscriber-target" label={kind === 'webhook' ? t('status.webhookUrl') : t('status.subscriberEmail')}
        hint={kind === 'webhook' ? t('status.webhookUrlHint') : undefined} error={targetErr}>
        <input id="subscriber-target" type={kind === 'webhook' ? 'url' : 'email'} className="mono" value={target} spellCheck={false}
          placeholder={kind === 'webhook' ? 'https://' : 'ops@example.com'} onChange={(e) => setTarget(e.target.value)} {...describedBy('subscriber-target', targetErr, kind === 'webhook')} />
      </Field>
      {page.components.length ? (
        <fieldset>
          <legend>{t('status.onlyComponents')}</legend>
          <CheckGrid items={page.components} chosen={chosen} toggle={toggle} />
        </fieldset>
      ) : null}
      <div className="actions">
        <button type="button" onClick={onCancel}>{t('common.cancel')}</button>
        <button type="submit" className="primary" disabled={busy}>{t('status.subscribe')}</button>
      </div>
    </form>
  );
}
