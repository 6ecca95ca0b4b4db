// An escalation policy's form: name, description, team, ordered levels (each a list of targets and a
// timeout; add, remove, move) and the repeat count. The server names what it refuses beside the level.
import { type FormEvent, type ReactNode, useState } from 'react';
import { useApp } from '../app-context.js';
import { type EscalationPolicy, type PagingTarget, type PolicyInput, TARGET_TYPES, type TargetType } from '../types.js';
import { describedBy, Field, FormError, useAction } from './form.js';
import { problemsUnder } from './layer-draft.js';
import { choicesOf, type PagingChoices, TargetSelect } from './paging-parts.js';

interface LevelDraft { key: number; targets: PagingTarget[]; timeout: string }

let nextKey = 1;
const newLevel = (targets: PagingTarget[] = [], timeout = '15'): LevelDraft => ({ key: nextKey++, targets, timeout });

/** The form; `existing` edits that policy, else it creates one. */
export function PolicyForm({ id, existing, choices, submitLabel, onSubmit, children }: {
  id: string; existing: EscalationPolicy | null; choices: PagingChoices; submitLabel: string;
  onSubmit: (body: PolicyInput) => Promise<void>; children?: ReactNode;
}) {
  const { t } = useApp();
  const [name, setName] = useState(existing?.name ?? '');
  const [description, setDescription] = useState(existing?.description ?? '');
  const [teamId, setTeamId] = useState(existing?.team?.id ?? '');
  const [repeat, setRepeat] = useState(String(existing?.repeat ?? 0));
  const [levels, setLevels] = useState<LevelDraft[]>(() => existing ? existing.levels.map((l) => newLevel(l.targets, String(l.timeoutMinutes))) : [newLevel()]);
  const { busy, error, run } = useAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(() => onSubmit({
      name, description, teamId: teamId || null, repeat: Number(repeat),
      levels: levels.map((l) => ({ targets: l.targets.map((x) => ({ type: x.type, id: x.id })), timeoutMinutes: Number(l.timeout) })),
    }));
  };
  const set = (key: number, patch: Partial<LevelDraft>) => setLevels(levels.map((l) => (l.key === key ? { ...l, ...patch } : l)));
  const move = (i: number, by: number) => {
    const next = [...levels];
    const [l] = next.splice(i, 1);
    if (l) next.splice(i + by, 0, l);
    setLevels(next);
  };
  const err = (f: string) => error?.field(f);
  // Messages under a shown level go beside it; the rest (and "a policy needs at least one level") above.
  const shown = (error?.problem.errors ?? []).map((e) => e.field).filter((f) => {
    const m = /^body\.levels\.(\d+)\./.exec(f);
    return !!m && Number(m[1]) < levels.length;
  });

  return (
    <form onSubmit={submit} noValidate className="policy-form" data-testid={`${id}-form`}>
      <FormError error={error} fields={['name', 'description', 'teamId', 'repeat', ...shown]} />
      <div className="row">
        <Field id={`${id}-name`} label={t('policies.name')} error={err('name')}>
          <input id={`${id}-name`} value={name} maxLength={120} onChange={(e) => setName(e.target.value)} {...describedBy(`${id}-name`, err('name'))} />
        </Field>
        <Field id={`${id}-team`} label={t('policies.team')} error={err('teamId')}>
          <select id={`${id}-team`} value={teamId} onChange={(e) => setTeamId(e.target.value)}>
            <option value="">{t('policies.noTeam')}</option>
            {choices.teams.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
          </select>
        </Field>
      </div>
      <Field id={`${id}-description`} label={t('policies.description')} error={err('description')}>
        <textarea id={`${id}-description`} rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>

      <h3>{t('policies.levels')}</h3>
      <p className="hint">{t('policies.levelsHint')}</p>
      <ol className="layer-list">
        {levels.map((l, i) => (
          <li key={l.key}>
            <LevelFields id={`${id}-l${l.key}`} draft={l} index={i} choices={choices} set={(p) => set(l.key, p)}
              targetsError={problemsUnder(error, `levels.${i}.targets`)} timeoutError={problemsUnder(error, `levels.${i}.timeoutMinutes`)} />
            <div className="layer-buttons">
              <button type="button" className="small-button" disabled={i === 0} onClick={() => move(i, -1)}
                aria-label={t('policies.moveLevelUp', { n: i + 1 })}>↑ {t('policies.moveUpShort')}</button>
              <button type="button" className="small-button" disabled={i === levels.length - 1} onClick={() => move(i, 1)}
                aria-label={t('policies.moveLevelDown', { n: i + 1 })}>↓ {t('policies.moveDownShort')}</button>
              <button type="button" className="small-button danger" disabled={levels.length <= 1}
                onClick={() => setLevels(levels.filter((x) => x.key !== l.key))}>{t('policies.removeLevel', { n: i + 1 })}</button>
            </div>
          </li>
        ))}
      </ol>
      <button type="button" disabled={levels.length >= 10} onClick={() => setLevels([...levels, newLevel()])}>+ {t('policies.addLevel')}</button>

      <Field id={`${id}-repeat`} label={t('policies.repeat')} hint={t('policies.repeatHint')} error={err('repeat')} className="narrow">
        <input id={`${id}-repeat`} type="number" min={0} max={9} value={repeat} onChange={(e) => setRepeat(e.target.value)} {...describedBy(`${id}-repeat`, err('repeat'), true)} />
      </Field>
      <div className="actions">
        {children}
        <button type="submit" className="primary" disabled={busy}>{submitLabel}</button>
      </div>
    </form>
  );
}

/** One level: its targets (add by kind and name, remove) and its timeout. */
function LevelFields({ id, draft, index, choices, set, targetsError, timeoutError }: {
  id: string; draft: LevelDraft; index: number; choices: PagingChoices; set: (patch: Partial<LevelDraft>) => void;
  targetsError: string | undefined; timeoutError: string | undefined;
}) {
  const { t, users } = useApp();
  const [kind, setKind] = useState<TargetType>('user');
  const [pick, setPick] = useState('');
  const n = index + 1;
  const add = () => {
    const found = choicesOf(kind, choices, users).find((c) => c.id === pick);
    if (!found || draft.targets.some((x) => x.type === kind && x.id === pick)) return;
    set({ targets: [...draft.targets, { type: kind, id: found.id, name: found.name }] });
    setPick('');
  };
  return (
    <fieldset className="layer" data-testid="policy-level">
      <legend>{t('policies.levelN', { n })}</legend>
      <fieldset className={`participants${targetsError ? ' has-error' : ''}`} aria-describedby={targetsError ? `${id}-targets-error` : undefined}>
        <legend>{t('policies.targets')}</legend>
        {draft.targets.length === 0 ? <p className="muted small">{t('policies.noTargets')}</p> : (
          <ul className="participant-list">
            {draft.targets.map((x) => (
              <li key={`${x.type}:${x.id}`}>
                <span className="muted small">{t(`paging.target.${x.type}`)}</span> <span className="participant-name">{x.name}</span>{' '}
                <button type="button" className="small-button danger" onClick={() => set({ targets: draft.targets.filter((y) => y !== x) })}
                  aria-label={t('policies.removeTarget', { name: x.name, n })}>✕</button>
              </li>
            ))}
          </ul>
        )}
        <div className="add-participant">
          <select id={`${id}-kind`} aria-label={t('policies.targetKind', { n })} value={kind} onChange={(e) => { setKind(e.target.value as TargetType); setPick(''); }}>
            {TARGET_TYPES.map((k) => <option key={k} value={k}>{t(`paging.target.${k}`)}</option>)}
          </select>
          <TargetSelect id={`${id}-pick`} aria-label={t('policies.targetPick', { n })} kind={kind} choices={choices} placeholder={t('common.choose')}
            value={pick} onChange={(e) => setPick(e.target.value)} />
          <button type="button" disabled={!pick} onClick={add} aria-label={t('policies.addTargetTo', { n })}>+ {t('policies.add')}</button>
        </div>
        {targetsError ? <p className="field-error" id={`${id}-targets-error`} role="alert">{targetsError}</p> : null}
      </fieldset>
      <Field id={`${id}-timeout`} label={t('policies.timeout')} hint={t('policies.timeoutHint')} error={timeoutError} className="narrow">
        <input id={`${id}-timeout`} type="number" min={1} max={1440} value={draft.timeout} onChange={(e) => set({ timeout: e.target.value })}
          {...describedBy(`${id}-timeout`, timeoutError, true)} />
      </Field>
    </fieldset>
  );
}
