// Secret iCalendar feeds: subscribe to a schedule from its page, to your own shifts from your profile.
// The URL is the credential, so it is shown once, right after it is made; revoking stops it answering.
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import type { CalendarFeed, CalendarFeedWithUrl } from '../types.js';
import { CopyButton } from './copy-button.js';
import { FormError, useAction } from './form.js';

/** A new feed's URL, with a copy button and the warning that it will not be shown again. */
export function FeedUrl({ feed, onDismiss }: { feed: CalendarFeedWithUrl; onDismiss: () => void }) {
  const { t } = useApp();
  return (
    <div className="secret key-panel" role="status" data-testid="feed-url-panel">
      <h3><span aria-hidden="true">⚠</span> {t('oncall.feedOnce')}</h3>
      <p className="hint">{t('oncall.feedOnceHint')}</p>
      <div className="secret-row">
        <code data-testid="feed-url">{feed.url}</code>
        <CopyButton text={feed.url} ariaLabel={t('oncall.copyFeed')} />
      </div>
      <div className="actions"><button type="button" onClick={onDismiss}>{t('oncall.feedStored')}</button></div>
    </div>
  );
}

/** "Subscribe in your calendar" on a schedule's page. */
export function CalendarSubscribe({ scheduleId }: { scheduleId: string }) {
  const { t } = useApp();
  const [feed, setFeed] = useState<CalendarFeedWithUrl | null>(null);
  const { busy, error, run } = useAction();
  const create = () => void run(async () => setFeed(await api<CalendarFeedWithUrl>('POST', '/calendar-feeds', { scheduleId })));
  return (
    <section className="panel" aria-labelledby="subscribe-h" data-testid="calendar-subscribe">
      <h2 id="subscribe-h">{t('oncall.subscribe')}</h2>
      <p className="muted section-hint">{t('oncall.subscribeHint')}</p>
      <FormError error={error} />
      {feed ? <FeedUrl feed={feed} onDismiss={() => setFeed(null)} /> : (
        <button type="button" disabled={busy} onClick={create}>{t('oncall.createFeed')}</button>
      )}
    </section>
  );
}

/** The profile's feeds: make one of my shifts, list mine (an admin sees everyone's), revoke. */
export function CalendarFeedsPanel() {
  const { t, fmt, user } = useApp();
  const [feeds, setFeeds] = useState<CalendarFeed[] | null>(null);
  const [created, setCreated] = useState<CalendarFeedWithUrl | null>(null);
  const create = useAction();
  const revoke = useAction();

  const load = useCallback(() => {
    api<{ feeds: CalendarFeed[] }>('GET', '/calendar-feeds').then((r) => setFeeds(r.feeds)).catch(() => setFeeds([]));
  }, []);
  useEffect(load, [load]);

  const add = () => void create.run(async () => {
    setCreated(await api<CalendarFeedWithUrl>('POST', '/calendar-feeds', { userId: user.id }));
    load();
  });
  const of = (f: CalendarFeed) => f.schedule ? t('oncall.feedOfSchedule', { name: f.schedule.name })
    : f.user ? (f.user.id === user.id ? t('oncall.feedOfMine') : t('oncall.feedOfPerson', { name: f.user.name })) : t('common.dash');
  const others = (feeds ?? []).some((f) => f.createdBy && f.createdBy.id !== user.id);

  return (
    <section className="panel" aria-labelledby="feeds-h" data-testid="calendar-feeds">
      <div className="panel-head">
        <h2 id="feeds-h">{t('oncall.feeds')}</h2>
        <button type="button" disabled={create.busy} onClick={add}>+ {t('oncall.createMyFeed')}</button>
      </div>
      <p className="muted section-hint">{t('oncall.feedsHint')}</p>
      <FormError error={create.error} />
      {created ? <FeedUrl feed={created} onDismiss={() => setCreated(null)} /> : null}
      <FormError error={revoke.error} />
      {feeds === null ? <p className="muted">{t('app.loading')}</p> : feeds.length === 0 ? <p className="muted">{t('oncall.noFeeds')}</p> : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('oncall.colFeedOf')}</th><th scope="col">{t('tokens.colPrefix')}</th>
              {others ? <th scope="col">{t('oncall.colBy')}</th> : null}
              <th scope="col">{t('tokens.colCreated')}</th><th scope="col">{t('tokens.colLastUsed')}</th>
              <th scope="col"><span className="sr-only">{t('oncall.revoke')}</span></th>
            </tr>
          </thead>
          <tbody>
            {feeds.map((f) => (
              <tr key={f.id} data-testid="feed-row">
                <td>{of(f)}</td>
                <td className="mono">{f.prefix}…</td>
                {others ? <td>{f.createdBy?.name ?? t('common.dash')}</td> : null}
                <td>{fmt.dateTime(f.createdAt)}</td>
                <td>{f.lastUsedAt ? fmt.dateTime(f.lastUsedAt) : t('common.never')}</td>
                <td>
                  <button type="button" className="small-button danger" disabled={revoke.busy} aria-label={t('oncall.revokeFeed', { what: of(f), prefix: f.prefix })}
                    onClick={() => void revoke.run(async () => { await api('DELETE', `/calendar-feeds/${encodeURIComponent(f.id)}`); load(); })}>{t('oncall.revoke')}</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
