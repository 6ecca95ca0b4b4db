// Tasks: who, for what purpose, what (seed 003). Three columns by status and the assign form.
import { type FormEvent, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import type { IncidentDetail, Task, TaskStatus } from '../types.js';
import { describedBy, Field, FormError, useAction } from './form.js';
import { UserSelect } from './user-select.js';

const COLUMNS: { key: string; statuses: TaskStatus[] }[] = [
  { key: 'open', statuses: ['open'] },
  { key: 'in_progress', statuses: ['in_progress'] },
  { key: 'done', statuses: ['done', 'cancelled'] },
];

/** The task board. */
export function TaskBoard({ incident, reload }: { incident: IncidentDetail; reload: () => void }) {
  const { t, canAct } = useApp();
  const move = useAction();
  const base = `/incidents/${incident.id}/tasks`;
  const setStatus = (task: Task, status: TaskStatus) =>
    void move.run(async () => { await api('PATCH', `${base}/${task.id}`, { status }); reload(); });

  return (
    <section className="panel" aria-labelledby="tasks-h">
      <h2 id="tasks-h">{t('tasks.title')}</h2>
      <FormError error={move.error} />
      <div className="board">
        {COLUMNS.map((col) => {
          const tasks = incident.tasks.filter((x) => col.statuses.includes(x.status));
          return (
            <div key={col.key} className="column" data-testid={`tasks-${col.key}`}>
              <h3>{t(`tasks.status.${col.key as TaskStatus}`)} <span className="count">{tasks.length}</span></h3>
              {tasks.length === 0 ? <p className="muted small">{t('tasks.empty')}</p> : (
                <ul>
                  {tasks.map((task) => <TaskCard key={task.id} task={task} busy={move.busy} setStatus={canAct ? setStatus : null} />)}
                </ul>
              )}
            </div>
          );
        })}
      </div>
      {canAct ? <NewTaskForm incident={incident} reload={reload} /> : null}
    </section>
  );
}

function TaskCard({ task, busy, setStatus }: { task: Task; busy: boolean; setStatus: ((t: Task, s: TaskStatus) => void) | null }) {
  const { t, fmt } = useApp();
  const closed = task.status === 'done' || task.status === 'cancelled';
  return (
    <li className={`task ${task.status}${task.overdue && !closed ? ' overdue' : ''}`} data-testid="task-card">
      <div className="task-action">{task.action}</div>
      <div className="task-purpose">{t('tasks.why', { purpose: task.purpose })}</div>
      <div className="task-meta">
        <span className="chip owner">{task.owner.name}</span>
        {task.status === 'cancelled' ? <span className="chip">{t('tasks.status.cancelled')}</span> : null}
        {task.dueAt && !closed ? <span className={task.overdue ? 'late-text' : 'muted'}>{task.overdue ? `◷ ${t('tasks.overdue')} · ` : ''}{t('tasks.dueAt', { time: fmt.time(task.dueAt) })}</span> : null}
      </div>
      {setStatus ? (
        <div className="task-buttons">
          {task.status === 'open' ? <button type="button" disabled={busy} onClick={() => setStatus(task, 'in_progress')}>{t('tasks.start')}</button> : null}
          {!closed ? <button type="button" disabled={busy} onClick={() => setStatus(task, 'done')}>✓ {t('tasks.done')}</button> : null}
          {!closed ? <button type="button" className="ghost" disabled={busy} onClick={() => setStatus(task, 'cancelled')}>{t('tasks.cancel')}</button> : null}
          {closed ? <button type="button" className="ghost" disabled={busy} onClick={() => setStatus(task, 'open')}>{t('tasks.reopen')}</button> : null}
        </div>
      ) : null}
    </li>
  );
}

function NewTaskForm({ incident, reload }: { incident: IncidentDetail; reload: () => void }) {
  const { t } = useApp();
  const [ownerId, setOwnerId] = useState('');
  const [purpose, setPurpose] = useState('');
  const [action, setAction] = useState('');
  const [dueMinutes, setDueMinutes] = useState('');
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const minutes = Number(dueMinutes);
      // Empty fields are sent as they are: the server says what is missing, in its own words.
      await api('POST', `/incidents/${incident.id}/tasks`, {
        ownerId, purpose, action,
        ...(dueMinutes && minutes > 0 ? { dueAt: new Date(Date.now() + minutes * 60_000).toISOString() } : {}),
      });
      setPurpose('');
      setAction('');
      setDueMinutes('');
      reload();
    });
  };
  const err = (f: string) => error?.field(f);
  return (
    <form className="subform" onSubmit={submit} noValidate aria-labelledby="task-new-h" data-testid="task-form">
      <h3 id="task-new-h">{t('tasks.new')}</h3>
      <FormError error={error} fields={['ownerId', 'purpose', 'action', 'dueAt']} />
      <div className="row">
        <Field id="task-owner" label={t('tasks.owner')} error={err('ownerId')}>
          <UserSelect id="task-owner" value={ownerId} onChange={(e) => setOwnerId(e.target.value)} placeholder={t('common.choose')} {...describedBy('task-owner', err('ownerId'))} />
        </Field>
        <Field id="task-due" label={t('tasks.due')} error={err('dueAt')} className="narrow">
          <input id="task-due" type="number" min={1} inputMode="numeric" value={dueMinutes} onChange={(e) => setDueMinutes(e.target.value)} />
        </Field>
      </div>
      <Field id="task-purpose" label={t('tasks.purpose')} error={err('purpose')}>
        <input id="task-purpose" value={purpose} onChange={(e) => setPurpose(e.target.value)} {...describedBy('task-purpose', err('purpose'))} />
      </Field>
      <Field id="task-action" label={t('tasks.action')} error={err('action')}>
        <input id="task-action" value={action} onChange={(e) => setAction(e.target.value)} {...describedBy('task-action', err('action'))} />
      </Field>
      <div className="actions"><button type="submit" className="primary" disabled={busy}>{t('tasks.create')}</button></div>
    </form>
  );
}
