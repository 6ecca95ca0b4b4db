// A schedule's layers: each a rotation of people with its hand-off time, turn length, windows and end.
// Order is precedence: a later layer is on top of the ones before it.
import type { ApiError } from '../api.js';
import { useApp } from '../app-context.js';
import { TURN_UNITS, type TurnUnit } from '../types.js';
import { describedBy, Field } from './form.js';
import { type LayerDraft, newLayer, problemsUnder, type Rotation } from './layer-draft.js';
import { ParticipantsEditor } from './participants-editor.js';
import { personColours } from './person-colours.js';
import { RestrictionsEditor } from './restrictions-editor.js';

/** The layers list with add, remove and reorder; `minLayers` keeps that many (a new schedule needs one). */
export function LayersEditor({ id, drafts, onChange, error, zone, minLayers = 0 }: {
  id: string; drafts: LayerDraft[]; onChange: (d: LayerDraft[]) => void; error: ApiError | null; zone: string; minLayers?: number;
}) {
  const { t } = useApp();
  const colourOf = personColours(drafts.flatMap((d) => d.participants.map((p) => p.id)));
  const set = (key: number, patch: Partial<LayerDraft>) => onChange(drafts.map((d) => (d.key === key ? { ...d, ...patch } : d)));
  const move = (i: number, by: number) => {
    const next = [...drafts];
    const [d] = next.splice(i, 1);
    if (d) next.splice(i + by, 0, d);
    onChange(next);
  };
  return (
    <div className="layers-editor">
      <h3>{t('oncall.layers')}</h3>
      <p className="hint">{t('oncall.layersHint')}</p>
      <ol className="layer-list">
        {drafts.map((d, i) => {
          const name = d.name.trim() || t('oncall.layerN', { n: i + 1 });
          return (
            <li key={d.key}>
              <LayerFields id={`${id}-l${d.key}`} draft={d} index={i} name={name} error={error} colourOf={colourOf} set={(p) => set(d.key, p)} />
              <div className="layer-buttons">
                <button type="button" className="small-button" disabled={i === 0} onClick={() => move(i, -1)}
                  aria-label={t('oncall.moveLayerUp', { layer: name })}>↑ {t('oncall.moveLayerUpShort')}</button>
                <button type="button" className="small-button" disabled={i === drafts.length - 1} onClick={() => move(i, 1)}
                  aria-label={t('oncall.moveLayerDown', { layer: name })}>↓ {t('oncall.moveLayerDownShort')}</button>
                <button type="button" className="small-button danger" disabled={drafts.length <= minLayers}
                  onClick={() => onChange(drafts.filter((x) => x.key !== d.key))}>{t('oncall.removeLayer', { layer: name })}</button>
              </div>
            </li>
          );
        })}
      </ol>
      <button type="button" onClick={() => onChange([...drafts, newLayer(t('oncall.layerN', { n: drafts.length + 1 }), zone)])}>+ {t('oncall.addLayer')}</button>
    </div>
  );
}

function LayerFields({ id, draft: d, index, name, error, colourOf, set }: {
  id: string; draft: LayerDraft; index: number; name: string; error: ApiError | null; colourOf: (id: string) => number;
  set: (patch: Partial<LayerDraft>) => void;
}) {
  const { t } = useApp();
  const path = `layers.${index}`;
  const err = (f: string) => problemsUnder(error, `${path}.${f}`);
  return (
    <fieldset className="layer" data-testid="layer-fields">
      <legend>{t('oncall.layerLegend', { n: index + 1, name })}</legend>
      <div className="row">
        <Field id={`${id}-name`} label={t('oncall.layerName')} error={err('name')}>
          <input id={`${id}-name`} value={d.name} onChange={(e) => set({ name: e.target.value })} {...describedBy(`${id}-name`, err('name'))} />
        </Field>
        <Field id={`${id}-rotation`} label={t('oncall.rotation')} error={d.rotation === 'custom' ? undefined : err('turn')}>
          <select id={`${id}-rotation`} value={d.rotation} onChange={(e) => set({ rotation: e.target.value as Rotation })}>
            <option value="daily">{t('oncall.rotation.daily')}</option>
            <option value="weekly">{t('oncall.rotation.weekly')}</option>
            <option value="custom">{t('oncall.rotation.custom')}</option>
          </select>
        </Field>
        {d.rotation === 'custom' ? (
          <>
            <Field id={`${id}-length`} label={t('oncall.turnLength')} error={err('turn')} className="narrow">
              <input id={`${id}-length`} type="number" min={1} value={d.length} onChange={(e) => set({ length: e.target.value })} {...describedBy(`${id}-length`, err('turn'))} />
            </Field>
            <Field id={`${id}-unit`} label={t('oncall.turnUnit')} className="narrow">
              <select id={`${id}-unit`} value={d.unit} onChange={(e) => set({ unit: e.target.value as TurnUnit })}>
                {TURN_UNITS.map((u) => <option key={u} value={u}>{t(`oncall.unit.${u}`)}</option>)}
              </select>
            </Field>
          </>
        ) : null}
      </div>
      <div className="row">
        <Field id={`${id}-start-date`} label={t('oncall.startDate')} hint={t('oncall.startHint')} error={err('start')}>
          <input id={`${id}-start-date`} type="date" value={d.startDate} onChange={(e) => set({ startDate: e.target.value })} {...describedBy(`${id}-start-date`, err('start'), true)} />
        </Field>
        <Field id={`${id}-start-time`} label={t('oncall.startTime')} className="narrow">
          <input id={`${id}-start-time`} type="time" value={d.startTime} onChange={(e) => set({ startTime: e.target.value })} {...describedBy(`${id}-start-date`, err('start'))} />
        </Field>
      </div>
      <ParticipantsEditor id={`${id}-people`} layer={name} participants={d.participants} onChange={(participants) => set({ participants })}
        error={err('participants')} colourOf={colourOf} />
      <RestrictionsEditor id={id} layer={name} path={path} restrictions={d.restrictions} onChange={(restrictions) => set({ restrictions })} error={error} />
      <div className="row">
        <Field id={`${id}-end-date`} label={t('oncall.endDate')} hint={t('oncall.endHint')} error={err('end')}>
          <input id={`${id}-end-date`} type="date" value={d.endDate} onChange={(e) => set({ endDate: e.target.value })} {...describedBy(`${id}-end-date`, err('end'), true)} />
        </Field>
        <Field id={`${id}-end-time`} label={t('oncall.endTime')} className="narrow">
          <input id={`${id}-end-time`} type="time" value={d.endTime} onChange={(e) => set({ endTime: e.target.value })} />
        </Field>
      </div>
    </fieldset>
  );
}
