// "I take Tuesday night": someone on call instead, from and to local times in the schedule's time zone.
import { type FormEvent, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import type { Override } from '../types.js';
import { fromLocalInput, toLocalInput } from '../zoned-time.js';
import { describedBy, Field, FormError, useAction } from './form.js';
import { UserSelect } from './user-select.js';

const HOUR = 3_600_000;

/** The add-override form of a schedule. */
export function OverrideForm({ scheduleId, zone, onDone, onCancel }: { scheduleId: string; zone: string; onDone: (o: Override) => void; onCancel: () => void }) {
  const { t, user } = useApp();
  const [userId, setUserId] = useState(user.id);
  // From the start of this hour, for a day: round numbers are what people hand over at.
  const [start, setStart] = useState(() => toLocalInput(Math.floor(Date.now() / HOUR) * HOUR, zone));
  const [end, setEnd] = useState(() => toLocalInput(Math.floor(Date.now() / HOUR) * HOUR + 24 * HOUR, zone));
  const [note, setNote] = useState('');
  const { busy, error, run } = useAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const created = await api<Override>('POST', `/schedules/${encodeURIComponent(scheduleId)}/overrides`, {
        userId, start: fromLocalInput(start, zone) ?? start, end: fromLocalInput(end, zone) ?? end, note,
      });
      onDone(created);
    });
  };
  const err = (f: string) => error?.field(f);

  return (
    <form className="subform override-form" onSubmit={submit} noValidate aria-labelledby="override-new-h" data-testid="override-form">
      <h3 id="override-new-h">{t('oncall.addOverride')}</h3>
      <FormError error={error} fields={['userId', 'start', 'end', 'note']} />
      <div className="row">
        <Field id="override-user" label={t('oncall.overrideWho')} error={err('userId')}>
          <UserSelect id="override-user" value={userId} onChange={(e) => setUserId(e.target.value)} {...describedBy('override-user', err('userId'))} />
        </Field>
        <Field id="override-start" label={t('oncall.overrideStart', { zone })} error={err('start')}>
          <input id="override-start" type="datetime-local" value={start} onChange={(e) => setStart(e.target.value)} {...describedBy('override-start', err('start'))} />
        </Field>
        <Field id="override-end" label={t('oncall.overrideEnd', { zone })} error={err('end')}>
          <input id="override-end" type="datetime-local" value={end} onChange={(e) => setEnd(e.target.value)} {...describedBy('override-end', err('end'))} />
        </Field>
      </div>
      <Field id="override-note" label={t('oncall.overrideNote')} hint={t('oncall.overrideNoteHint')} error={err('note')}>
        <input id="override-note" value={note} onChange={(e) => setNote(e.target.value)} {...describedBy('override-note', err('note'), true)} />
      </Field>
      <div className="actions">
        <button type="button" onClick={onCancel}>{t('common.cancel')}</button>
        <button type="submit" className="primary" disabled={busy}>{t('oncall.saveOverride')}</button>
      </div>
    </form>
  );
}
