// Silences: matching alerts still arrive and are kept, but do not page. Create (with a live preview of
// what it would silence), list by state, expire.
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { MatcherChips } from '../components/alert-badges.js';
import { AlertsNav } from '../components/alerts-nav.js';
import { FormError, useAction } from '../components/form.js';
import { SilenceForm } from '../components/silence-form.js';
import { tabListKeys } from '../components/tab-keys.js';
import { useNow } from '../live.js';
import { Link, navigate, useLocation } from '../router.js';
import type { Silence } from '../types.js';
import { ReadOnlyBadge } from './incident-list.js';

const TABS = ['active', 'pending', 'expired'] as const;
type Tab = (typeof TABS)[number];

/** The page for /alerts/silences (?m=name=value&from=<group id> pre-fills the form). */
export function SilencesPage() {
  const { t, fmt, canAct } = useApp();
  const { search } = useLocation();
  const tab: Tab = (TABS as readonly string[]).includes(search.get('state') ?? '') ? (search.get('state') as Tab) : 'active';
  const prefill = search.getAll('m');
  const from = search.get('from');
  const [creating, setCreating] = useState(prefill.length > 0);
  const [silences, setSilences] = useState<Silence[] | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const expire = useAction();
  const now = useNow(30_000);

  const load = useCallback(() => {
    api<{ silences: Silence[] }>('GET', `/silences?state=${tab}`)
      .then((r) => { setSilences(r.silences); setFailed(null); })
      .catch((e: Error) => setFailed(e.message));
  }, [tab]);
  useEffect(load, [load]);

  const created = () => {
    if (from) return navigate(`/alerts/${encodeURIComponent(from)}`);
    setCreating(false);
    if (tab === 'active') load();
    else navigate('/alerts/silences');
  };

  return (
    <div className="page">
      <AlertsNav />
      <div className="page-head">
        <h1>{t('silences.title')}</h1>
        <div className="spacer" />
        {canAct ? (
          creating ? null : <button type="button" className="primary" onClick={() => setCreating(true)}>+ {t('silences.new')}</button>
        ) : <ReadOnlyBadge />}
      </div>
      <p className="muted section-hint">{t('silences.intro')}</p>
      {creating && canAct ? (
        <SilenceForm initial={prefill} backTo={from} onDone={created} onCancel={() => (from ? navigate(`/alerts/${encodeURIComponent(from)}`) : setCreating(false))} />
      ) : null}
      <div className="tabs" role="tablist" aria-label={t('silences.title')} onKeyDown={tabListKeys}>
        {TABS.map((s) => (
          <Link key={s} to={s === 'active' ? '/alerts/silences' : `/alerts/silences?state=${s}`} role="tab" aria-selected={tab === s} tabIndex={tab === s ? 0 : -1} className="tab">
            {t(`silences.state.${s}`)}
          </Link>
        ))}
      </div>
      {failed ? <p className="form-error" role="alert">{failed}</p> : null}
      <FormError error={expire.error} />
      {silences === null ? <p className="muted">{t('app.loading')}</p> : silences.length === 0 ? (
        <p className="empty">{t(`silences.empty.${tab}`)}</p>
      ) : (
        <table className="silences" data-testid="silences">
          <thead>
            <tr>
              <th scope="col">{t('matchers.title')}</th>
              <th scope="col">{t('silences.colWhen')}</th>
              <th scope="col">{t('silences.comment')}</th>
              <th scope="col">{t('silences.colBy')}</th>
              <th scope="col" className="num">{t('silences.colMatching')}</th>
              {canAct && tab !== 'expired' ? <th scope="col"><span className="sr-only">{t('silences.expire')}</span></th> : null}
            </tr>
          </thead>
          <tbody>
            {silences.map((s) => (
              <tr key={s.id} data-testid="silence-row">
                <td><MatcherChips matchers={s.matchers} /></td>
                <td className="nowrap">
                  <div>{fmt.dateTime(s.startsAt)} – {fmt.dateTime(s.endsAt)}</div>
                  <div className="muted small">
                    {s.state === 'pending' ? t('silences.startsIn', { time: fmt.until(s.startsAt, now) })
                      : s.state === 'active' ? t('silences.endsIn', { time: fmt.until(s.endsAt, now) })
                        : t('silences.endedAt', { time: fmt.dateTime(s.expiredAt ?? s.endsAt) })}
                  </div>
                </td>
                <td className="comment-cell">{s.comment}</td>
                <td>{s.createdBy?.name ?? t('timeline.system')}</td>
                <td className="num">{fmt.number(s.matchingGroups)}</td>
                {canAct && tab !== 'expired' ? (
                  <td>
                    {s.state !== 'expired' ? (
                      <button type="button" className="danger small-button" disabled={expire.busy}
                        aria-label={t('silences.expireOne', { matchers: s.matchers.map((m) => m.name).join(', ') })}
                        onClick={() => void expire.run(async () => { await api('DELETE', `/silences/${encodeURIComponent(s.id)}`); load(); })}>
                        {t('silences.expire')}
                      </button>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
