// A layer as the editor holds it (strings straight from the inputs), and the conversions to and from the API.
import type { ApiError } from '../api.js';
import type { LayerInput, ScheduleLayer, TurnUnit, UserRef } from '../types.js';
import { addDays, toLocalInput } from '../zoned-time.js';

/** How turns are picked in the form: the two common ones, or any length. */
export type Rotation = 'daily' | 'weekly' | 'custom';

/** One "on call only then" window being edited. */
export interface RestrictionDraft { key: number; days: number[]; from: string; to: string }

/** One layer being edited; `key` only tells React rows apart. */
export interface LayerDraft {
  key: number; id?: string; name: string; startDate: string; startTime: string; rotation: Rotation; length: string; unit: TurnUnit;
  participants: UserRef[]; restrictions: RestrictionDraft[]; endDate: string; endTime: string;
}

let counter = 0;
/** A fresh row key. */
export const nextKey = (): number => ++counter;

/** The first hand-off a new layer proposes: 09:00 today in the zone, or yesterday's when 09:00 is still ahead (so someone is on call at once). */
function defaultStart(zone: string): { date: string; time: string } {
  const now = toLocalInput(Date.now(), zone);
  const today = now.slice(0, 10);
  return { date: now.slice(11) >= '09:00' ? today : addDays(today, -1), time: '09:00' };
}

/** An empty weekly layer. */
export function newLayer(name: string, zone: string): LayerDraft {
  const start = defaultStart(zone);
  return {
    key: nextKey(), name, startDate: start.date, startTime: start.time, rotation: 'weekly', length: '1', unit: 'weeks',
    participants: [], restrictions: [], endDate: '', endTime: '',
  };
}

/** A weekday window: Monday to Friday, 09:00–18:00. */
export function newRestriction(): RestrictionDraft {
  return { key: nextKey(), days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' };
}

/** A stored layer, ready to edit. */
export function fromLayer(l: ScheduleLayer): LayerDraft {
  const rotation: Rotation = l.turn.length === 1 && l.turn.unit === 'days' ? 'daily' : l.turn.length === 1 && l.turn.unit === 'weeks' ? 'weekly' : 'custom';
  return {
    key: nextKey(), id: l.id, name: l.name, startDate: l.start.slice(0, 10), startTime: l.start.slice(11, 16), rotation,
    length: String(l.turn.length), unit: l.turn.unit, participants: l.participants,
    restrictions: l.restrictions.map((r) => ({ key: nextKey(), days: [...r.days], from: r.from, to: r.to })),
    endDate: l.end?.slice(0, 10) ?? '', endTime: l.end?.slice(11, 16) ?? '',
  };
}

/** What the API takes; malformed input goes as typed, so the server names the field. */
export function toInput(d: LayerDraft): LayerInput {
  const turn = d.rotation === 'daily' ? { length: 1, unit: 'days' as const }
    : d.rotation === 'weekly' ? { length: 1, unit: 'weeks' as const }
      : { length: Number(d.length), unit: d.unit };
  return {
    ...(d.id ? { id: d.id } : {}),
    name: d.name,
    start: `${d.startDate}T${d.startTime}`,
    turn,
    participants: d.participants.map((p) => p.id),
    restrictions: d.restrictions.map((r) => ({ days: [...r.days].sort(), from: r.from, to: r.to })),
    end: d.endDate || d.endTime ? `${d.endDate}T${d.endTime || '00:00'}` : null,
  };
}

/** The server's messages at a path or below it ("layers.0.participants" takes "layers.0.participants.1" too), joined. */
export function problemsUnder(error: ApiError | null, path: string): string | undefined {
  const at = `body.${path}`;
  const messages = (error?.problem.errors ?? []).filter((e) => e.field === at || e.field.startsWith(`${at}.`)).map((e) => e.message);
  return messages.length ? [...new Set(messages)].join(' · ') : undefined;
}

/** The parts of a layer the editor shows messages beside. */
const SHOWN = ['name', 'start', 'turn', 'participants', 'restrictions', 'end'];

/** The error fields the layers editor shows beside its controls (so the form-level message leaves them out). */
export function shownLayerFields(error: ApiError | null, layers: number): string[] {
  return (error?.problem.errors ?? []).map((e) => e.field).filter((f) => {
    const m = /^body\.layers\.(\d+)\.(\w+)/.exec(f);
    return !!m && Number(m[1]) < layers && SHOWN.includes(m[2]!);
  });
}
