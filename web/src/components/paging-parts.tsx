// What the paging views share: the schedules, teams and policies a target can be, a select of one
// kind of target, a page's status badge and its level in words.
import { type SelectHTMLAttributes, useCallback, useEffect, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import type { Formatters } from '../format.js';
import type { Translate } from '../i18n/index.js';
import type { EscalationPolicy, PageStatus, PageSummary, Schedule, Team, TargetType } from '../types.js';
import { describedBy, Field } from './form.js';
import { UserSelect } from './user-select.js';

/** What can be paged: a person, a schedule's on-call, a team, or a whole escalation policy. */
export type TargetKind = TargetType | 'policy';

/** The schedules, teams and escalation policies a target can name (people come from the app context). */
export interface PagingChoices {
  schedules: { id: string; name: string }[];
  teams: { id: string; name: string }[];
  policies: EscalationPolicy[] | null;
  reloadPolicies(): void;
}

/** Loads the schedules, teams and policies once (every role may read them). */
export function usePagingChoices(): PagingChoices {
  const [schedules, setSchedules] = useState<{ id: string; name: string }[]>([]);
  const [teams, setTeams] = useState<{ id: string; name: string }[]>([]);
  const [policies, setPolicies] = useState<EscalationPolicy[] | null>(null);
  const reloadPolicies = useCallback(() => {
    api<{ policies: EscalationPolicy[] }>('GET', '/escalation-policies').then((r) => setPolicies(r.policies)).catch(() => setPolicies([]));
  }, []);
  useEffect(() => {
    api<{ schedules: Schedule[] }>('GET', '/schedules').then((r) => setSchedules(r.schedules.map((s) => ({ id: s.id, name: s.name })))).catch(() => {});
    api<{ teams: Team[] }>('GET', '/teams').then((r) => setTeams(r.teams.map((x) => ({ id: x.id, name: x.name })))).catch(() => {});
    reloadPolicies();
  }, [reloadPolicies]);
  return { schedules, teams, policies, reloadPolicies };
}

/** The things of one kind to choose from, by id and name (people: the active ones). */
export function choicesOf(kind: TargetKind, choices: PagingChoices, users: { id: string; name: string; disabled: boolean }[]): { id: string; name: string }[] {
  if (kind === 'user') return users.filter((u) => !u.disabled);
  if (kind === 'schedule') return choices.schedules;
  if (kind === 'team') return choices.teams;
  return choices.policies ?? [];
}

/** A select of the things of one kind; people are listed with "me" marked. */
export function TargetSelect({ kind, choices, placeholder, ...rest }: {
  kind: TargetKind; choices: PagingChoices; placeholder: string;
} & SelectHTMLAttributes<HTMLSelectElement>) {
  const { users } = useApp();
  if (kind === 'user') return <UserSelect placeholder={placeholder} {...rest} />;
  return (
    <select {...rest}>
      <option value="">{placeholder}</option>
      {choicesOf(kind, choices, users).map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
    </select>
  );
}

/** Triggered (red) / acknowledged (amber) / resolved (green), in words and a symbol as well as colour. */
export function PageStatusBadge({ status }: { status: PageStatus }) {
  const { t } = useApp();
  const icon = status === 'triggered' ? '●' : status === 'acknowledged' ? '✓' : '✔';
  return <span className={`badge gstatus gstatus-${status}`} data-testid="page-status"><span aria-hidden="true">{icon}</span> {t(`paging.status.${status}`)}</span>;
}

/** "3 failed deliveries", red; nothing when every delivery went out. */
export function FailedDeliveriesBadge({ n }: { n: number }) {
  const { t } = useApp();
  if (n === 0) return null;
  return <span className="badge failed-badge"><span aria-hidden="true">✕</span> {t('paging.failedDeliveries', { n })}</span>;
}

/**
 * "Level 1 of 2", counted from 1 as people say it, with the round once the policy has repeated
 * ("round 2 of 3"); `rounds` says the round even before then, when the policy may repeat. A
 * notification knows neither total: "Level 2 · round 2".
 */
export function levelText(page: Pick<PageSummary, 'level' | 'cycle'> & Partial<Pick<PageSummary, 'levelCount' | 'repeat'>>, t: Translate, rounds = false): string {
  const level = page.levelCount ? t('paging.levelOf', { n: page.level + 1, total: page.levelCount }) : t('paging.level', { n: page.level + 1 });
  if (page.repeat === undefined) return page.cycle > 0 ? `${level} · ${t('paging.roundN', { n: page.cycle + 1 })}` : level;
  const showRound = page.cycle > 0 || (rounds && page.repeat > 0);
  return showRound ? `${level} · ${t('paging.roundOf', { n: page.cycle + 1, total: page.repeat + 1 })}` : level;
}

/** Where escalation stands: "escalates in 3 min", "every level timed out", or nothing. */
export function escalationText(page: Pick<PageSummary, 'escalatesAt' | 'exhaustedAt' | 'status'>, fmt: Formatters, now: number, t: Translate): string | null {
  if (page.status !== 'triggered') return null;
  if (page.exhaustedAt) return t('paging.exhaustedShort');
  if (page.escalatesAt) return t('paging.escalatesIn', { when: fmt.until(page.escalatesAt, now) });
  return null;
}

/**
 * Said under a page just started when its first level notified nobody (an empty schedule, a team or
 * person whose accounts are disabled): the page moves on at once, and ends if no level reaches anyone.
 */
export function NobodyReached({ page }: { page: { notifications: unknown[] } }) {
  const { t } = useApp();
  if (page.notifications.length > 0) return null;
  return <p className="warn-text small" role="status" data-testid="nobody-reached">{t('paging.nobodyReached')}</p>;
}

const TARGET_KINDS: readonly TargetKind[] = ['user', 'schedule', 'team', 'policy'];

/**
 * "Who to page" and the person, schedule, team or policy of that kind, as one row of a form (the
 * "Page someone" form and the war room's panel). Changing the kind clears the target.
 */
export function WhoToPage({ idPrefix, kind, targetId, choices, error, onKind, onTarget }: {
  idPrefix: string; kind: TargetKind; targetId: string; choices: PagingChoices;
  error: { field(name: string): string | undefined } | null | undefined;
  onKind: (kind: TargetKind) => void; onTarget: (id: string) => void;
}) {
  const { t } = useApp();
  // The target's id is where the server names an unknown target; its type where it names a wrong kind.
  const targetError = error?.field('target.id') ?? error?.field('target.type') ?? error?.field('target');
  return (
    <div className="row">
      <Field id={`${idPrefix}-kind`} label={t('paging.whoToPage')}>
        <select id={`${idPrefix}-kind`} value={kind} onChange={(e) => { onKind(e.target.value as TargetKind); onTarget(''); }}>
          {TARGET_KINDS.map((k) => <option key={k} value={k}>{t(`paging.targetLong.${k}`)}</option>)}
        </select>
      </Field>
      <Field id={`${idPrefix}-target`} label={t(`paging.target.${kind}`)} error={targetError}>
        <TargetSelect id={`${idPrefix}-target`} kind={kind} choices={choices} placeholder={t('common.choose')} value={targetId}
          onChange={(e) => onTarget(e.target.value)} {...describedBy(`${idPrefix}-target`, targetError)} />
      </Field>
    </div>
  );
}
