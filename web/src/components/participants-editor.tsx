// A layer's people in rotation order: add, remove, move up and down (each button names the person and the layer).
import { useState } from 'react';
import { useApp } from '../app-context.js';
import type { UserRef } from '../types.js';
import { UserSelect } from './user-select.js';

/** The participants list of one layer; `layer` is the layer's name as the buttons say it. */
export function ParticipantsEditor({ id, layer, participants, onChange, error, colourOf }: {
  id: string; layer: string; participants: UserRef[]; onChange: (p: UserRef[]) => void; error?: string | undefined;
  colourOf: (userId: string) => number;
}) {
  const { t, users } = useApp();
  const [pick, setPick] = useState('');
  const add = () => {
    const u = users.find((x) => x.id === pick);
    if (!u) return;
    onChange([...participants, { id: u.id, name: u.name }]);
    setPick('');
  };
  const move = (i: number, by: number) => {
    const next = [...participants];
    const [p] = next.splice(i, 1);
    if (p) next.splice(i + by, 0, p);
    onChange(next);
  };
  return (
    <fieldset className={`participants${error ? ' has-error' : ''}`} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{t('oncall.participants')}</legend>
      {participants.length === 0 ? <p className="muted small">{t('oncall.noParticipants')}</p> : (
        <ol className="participant-list">
          {participants.map((p, i) => (
            <li key={`${p.id}-${i}`}>
              <span className={`who-dot who-${colourOf(p.id)}`} aria-hidden="true" />
              <span className="participant-name">{p.name}</span>
              <span className="order-buttons">
                <button type="button" className="small-button" disabled={i === 0} onClick={() => move(i, -1)}
                  aria-label={t('oncall.moveUp', { name: p.name, layer })}>↑</button>
                <button type="button" className="small-button" disabled={i === participants.length - 1} onClick={() => move(i, 1)}
                  aria-label={t('oncall.moveDown', { name: p.name, layer })}>↓</button>
                <button type="button" className="small-button danger" onClick={() => onChange(participants.filter((_, j) => j !== i))}
                  aria-label={t('oncall.removeParticipant', { name: p.name, layer })}>✕</button>
              </span>
            </li>
          ))}
        </ol>
      )}
      <div className="add-participant">
        <label htmlFor={`${id}-add`}>{t('oncall.addParticipant')}</label>
        <UserSelect id={`${id}-add`} value={pick} onChange={(e) => setPick(e.target.value)} placeholder={t('common.choose')} />
        <button type="button" disabled={!pick} onClick={add} aria-label={t('oncall.addTo', { layer })}>+ {t('oncall.add')}</button>
      </div>
      {error ? <p className="field-error" id={`${id}-error`} role="alert">{error}</p> : null}
    </fieldset>
  );
}
