// A new silence: matchers (with a live count of the open groups they would silence), when, and why.
import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { Link } from '../router.js';
import type { AlertGroupSummary } from '../types.js';
import { fromLocalInput, toLocalInput } from '../zoned-time.js';
import { describedBy, Field, FormError, problemAt, useAction } from './form.js';
import { draftMatcher, draftProblem, fromDrafts, type MatcherDraft, MatchersEditor } from './matchers-editor.js';

const HOUR = 3_600_000;
/** Duration presets: 1 h, 4 h, 1 d. */
export const PRESETS: { key: 'silences.preset1h' | 'silences.preset4h' | 'silences.preset1d'; ms: number }[] = [
  { key: 'silences.preset1h', ms: HOUR }, { key: 'silences.preset4h', ms: 4 * HOUR }, { key: 'silences.preset1d', ms: 24 * HOUR },
];

/** "name=value" strings (from the URL) as matcher rows. */
function initialDrafts(initial: string[]): MatcherDraft[] {
  const rows = initial.map((s) => {
    const at = s.indexOf('=');
    return at > 0 ? draftMatcher(s.slice(0, at), s.slice(at + 1)) : draftMatcher(s);
  });
  return rows.length ? rows : [draftMatcher()];
}

/** Start and end inputs on the user's wall clock, with duration presets. */
export function WindowFields({ id, start, end, setStart, setEnd, error, startOptional }: {
  id: string; start: string; end: string; setStart: (s: string) => void; setEnd: (s: string) => void;
  error: ReturnType<typeof useAction>['error']; startOptional?: boolean;
}) {
  const { t, user } = useApp();
  const zone = user.timeZone;
  const preset = (ms: number) => {
    const from = (start && fromLocalInput(start, zone)) || new Date().toISOString();
    setEnd(toLocalInput(Date.parse(from) + ms, zone));
  };
  const startErr = problemAt(error, 'startsAt');
  const endErr = problemAt(error, 'endsAt');
  return (
    <div className="row window-fields">
      <Field id={`${id}-start`} label={t('silences.startsAt', { zone })} hint={startOptional ? t('silences.startHint') : undefined} error={startErr}>
        <input id={`${id}-start`} type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} {...describedBy(`${id}-start`, startErr, startOptional)} />
      </Field>
      <Field id={`${id}-end`} label={t('silences.endsAt', { zone })} error={endErr}>
        <input id={`${id}-end`} type="datetime-local" value={end} onChange={(e) => setEnd(e.target.value)} {...describedBy(`${id}-end`, endErr)} />
      </Field>
      <div className="presets" role="group" aria-label={t('silences.presets')}>
        {PRESETS.map((p) => <button key={p.key} type="button" className="small-button" onClick={() => preset(p.ms)}>{t(p.key)}</button>)}
      </div>
    </div>
  );
}

/** The form; `backTo` is the group it was opened from. */
export function SilenceForm({ initial, backTo, onDone, onCancel }: { initial: string[]; backTo: string | null; onDone: () => void; onCancel: () => void }) {
  const { t, fmt, user } = useApp();
  const zone = user.timeZone;
  const [drafts, setDrafts] = useState<MatcherDraft[]>(() => initialDrafts(initial));
  const [start, setStart] = useState('');
  const [end, setEnd] = useState(() => toLocalInput(Date.now() + HOUR, zone));
  const [comment, setComment] = useState('');
  const [preview, setPreview] = useState<{ matchingGroups: number; groups: AlertGroupSummary[] } | null>(null);
  const { busy, error, run } = useAction();

  const matchers = fromDrafts(drafts);
  const valid = matchers.length > 0 && drafts.every((d) => !draftProblem(d, t));
  const previewKey = valid ? JSON.stringify(matchers) : '';
  useEffect(() => {
    if (!previewKey) return setPreview(null);
    let stale = false;
    const timer = setTimeout(() => {
      api<{ matchingGroups: number; groups: AlertGroupSummary[] }>('POST', '/silences/preview', { matchers: JSON.parse(previewKey) as unknown })
        .then((r) => { if (!stale) setPreview(r); })
        .catch(() => { if (!stale) setPreview(null); });
    }, 300);
    return () => { stale = true; clearTimeout(timer); };
  }, [previewKey]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const startsAt = start ? fromLocalInput(start, zone) : null;
      const endsAt = fromLocalInput(end, zone);
      await api('POST', '/silences', { matchers, ...(startsAt ? { startsAt } : {}), endsAt: endsAt ?? end, comment });
      onDone();
    });
  };
  const commentErr = problemAt(error, 'comment');

  return (
    <form className="panel silence-form" onSubmit={submit} noValidate aria-labelledby="silence-new-h" data-testid="silence-form">
      <h2 id="silence-new-h">{t('silences.new')}</h2>
      {backTo ? <p className="muted small">{t('silences.fromGroup')} <Link to={`/alerts/${encodeURIComponent(backTo)}`}>{t('silences.backToGroup')}</Link></p> : null}
      <FormError error={error} fields={['matchers', 'startsAt', 'endsAt', 'comment']} />
      <MatchersEditor id="silence" drafts={drafts} onChange={setDrafts} error={error} path="matchers" />
      <p className="preview-count" role="status" data-testid="silence-preview">
        {preview ? (
          <>
            <strong>{t('silences.previewCount', { n: fmt.number(preview.matchingGroups) })}</strong>
            {preview.groups.length ? (
              <span className="preview-groups">
                {preview.groups.slice(0, 5).map((g) => <Link key={g.id} to={`/alerts/${encodeURIComponent(g.id)}`} className="chip">{g.title}</Link>)}
                {preview.matchingGroups > 5 ? <span className="muted"> {t('silences.previewMore', { n: fmt.number(preview.matchingGroups - 5) })}</span> : null}
              </span>
            ) : null}
          </>
        ) : valid ? null : <span className="muted">{t('silences.previewNeed')}</span>}
      </p>
      <WindowFields id="silence" start={start} end={end} setStart={setStart} setEnd={setEnd} error={error} startOptional />
      <Field id="silence-comment" label={t('silences.comment')} hint={t('silences.commentHint')} error={commentErr}>
        <textarea id="silence-comment" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} {...describedBy('silence-comment', commentErr, true)} />
      </Field>
      <div className="actions">
        <button type="button" onClick={onCancel}>{t('common.cancel')}</button>
        <button type="submit" className="primary" disabled={busy}>{t('silences.create')}</button>
      </div>
    </form>
  );
}
