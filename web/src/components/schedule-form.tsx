// A schedule's settings and layers, for creating one and for changing one (the change applies from
// now, or from a chosen time; the past keeps the layers it had).
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { formatters } from '../format.js';
import type { Schedule, ScheduleUpdate, Team } from '../types.js';
import { fromLocalInput } from '../zoned-time.js';
import { describedBy, Field, FormError, useAction } from './form.js';
import { fromLayer, type LayerDraft, newLayer, shownLayerFields, toInput } from './layer-draft.js';
import { LayersEditor } from './layer-editor.js';
import { TimeZoneInput } from './time-zone-input.js';

/** The form; `existing` edits that schedule (only what changed is sent), else it creates one. */
export function ScheduleForm({ id, existing, submitLabel, onSubmit, children }: {
  id: string; existing: Schedule | null; submitLabel: string; children?: ReactNode;
  onSubmit: (body: ScheduleUpdate) => Promise<void>;
}) {
  const { t, user, locale } = useApp();
  const [name, setName] = useState(existing?.name ?? '');
  const [description, setDescription] = useState(existing?.description ?? '');
  const [timeZone, setTimeZone] = useState(existing?.timeZone ?? user.timeZone);
  const [teamId, setTeamId] = useState(existing?.team?.id ?? '');
  const [drafts, setDrafts] = useState<LayerDraft[]>(() => existing ? existing.layers.map(fromLayer) : [newLayer(t('oncall.layerN', { n: 1 }), user.timeZone)]);
  const [effective, setEffective] = useState('');
  const [teams, setTeams] = useState<Team[]>([]);
  const { busy, error, run } = useAction();

  useEffect(() => {
    api<{ teams: Team[] }>('GET', '/teams').then((r) => setTeams(r.teams)).catch(() => {});
  }, []);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const layers = drafts.map(toInput);
      const before = existing ? JSON.stringify(existing.layers.map(fromLayer).map(toInput)) : null;
      // Layers sent again become a new version (dropping a scheduled change): send them only when changed.
      const layersChanged = before !== JSON.stringify(layers);
      const effectiveFrom = effective ? fromLocalInput(effective, timeZone) ?? effective : undefined;
      // So does a new time zone alone: send it only when changed too.
      const zoneChanged = !existing || existing.timeZone !== timeZone;
      await onSubmit({
        name, description, teamId: teamId || null,
        ...(zoneChanged ? { timeZone } : {}),
        ...(layersChanged ? { layers } : {}),
        ...(existing && effectiveFrom && (layersChanged || zoneChanged) ? { effectiveFrom } : {}),
      });
    });
  };
  const err = (f: string) => error?.field(f);

  return (
    <form onSubmit={submit} noValidate className="schedule-form" data-testid={`${id}-form`}>
      <FormError error={error} fields={['name', 'description', 'timeZone', 'teamId', 'effectiveFrom', ...shownLayerFields(error, drafts.length)]} />
      <div className="row">
        <Field id={`${id}-name`} label={t('oncall.scheduleName')} error={err('name')}>
          <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} {...describedBy(`${id}-name`, err('name'))} />
        </Field>
        <Field id={`${id}-tz`} label={t('field.timeZone')} hint={t('oncall.zoneHint')} error={err('timeZone')}>
          <TimeZoneInput id={`${id}-tz`} value={timeZone} onChange={setTimeZone} />
        </Field>
        <Field id={`${id}-team`} label={t('oncall.team')} error={err('teamId')}>
          <select id={`${id}-team`} value={teamId} onChange={(e) => setTeamId(e.target.value)}>
            <option value="">{t('oncall.noTeam')}</option>
            {teams.map((team) => <option key={team.id} value={team.id}>{team.name}</option>)}
          </select>
        </Field>
      </div>
      <Field id={`${id}-description`} label={t('oncall.description')} error={err('description')}>
        <textarea id={`${id}-description`} rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <LayersEditor id={id} drafts={drafts} onChange={setDrafts} error={error} zone={timeZone} minLayers={existing ? 0 : 1} />
      {existing ? (
        <>
          {existing.scheduledChange ? <p className="notice small">{t('oncall.scheduledChange', { time: formatters(locale, existing.timeZone, t).dateTime(existing.scheduledChange.effectiveFrom) })}</p> : null}
          <Field id={`${id}-effective`} label={t('oncall.effectiveFrom', { zone: timeZone })} hint={t('oncall.effectiveHint')} error={err('effectiveFrom')}>
            <input id={`${id}-effective`} type="datetime-local" value={effective} onChange={(e) => setEffective(e.target.value)} {...describedBy(`${id}-effective`, err('effectiveFrom'), true)} />
          </Field>
        </>
      ) : null}
      <div className="actions">
        {children}
        <button type="submit" className="primary" disabled={busy}>{submitLabel}</button>
      </div>
    </form>
  );
}
