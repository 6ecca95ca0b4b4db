// Who is in the response, with their roles and open tasks; idle people can be released (seed 003).
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import type { IncidentDetail } from '../types.js';
import { FormError, useAction } from './form.js';
import { roleLabel } from './role-label.js';

/** The roster. */
export function RosterPanel({ incident, reload }: { incident: IncidentDetail; reload: () => void }) {
  const { t, user, canAct } = useApp();
  const { busy, error, run } = useAction();
  const base = `/incidents/${incident.id}/responders`;
  const joined = incident.responders.some((r) => r.user.id === user.id);
  const taskById = new Map(incident.tasks.map((x) => [x.id, x]));
  return (
    <section className="panel" aria-labelledby="roster-h">
      <div className="panel-head">
        <h2 id="roster-h">{t('roster.title')}</h2>
        {!canAct ? null : joined ? (
          <button type="button" className="ghost" disabled={busy}
            onClick={() => void run(async () => { await api('DELETE', `${base}/${user.id}`); reload(); })}>{t('roster.leave')}</button>
        ) : (
          <button type="button" disabled={busy}
            onClick={() => void run(async () => { await api('POST', base, {}); reload(); })}>{t('roster.join')}</button>
        )}
      </div>
      <FormError error={error} />
      {incident.responders.length === 0 ? <p className="muted">{t('roster.empty')}</p> : (
        <ul className="roster">
          {incident.responders.map((r) => (
            <li key={r.user.id} className={r.idle ? 'idle' : ''} data-testid={`responder-${r.user.id}`}>
              <div className="who">
                <strong>{r.user.name}</strong>
                <span className="chips">
                  {r.roles.length ? r.roles.map((role) => <span key={role} className="chip">{roleLabel(t, role)}</span>) : <span className="muted small">{t('roster.noRole')}</span>}
                </span>
              </div>
              {r.openTaskIds.length ? (
                <ul className="roster-tasks">
                  {r.openTaskIds.map((id) => <li key={id}>{taskById.get(id)?.action ?? id}</li>)}
                </ul>
              ) : null}
              {r.idle ? (
                <div className="idle-line">
                  <span className="idle-tag">{t('roster.idle')}</span>
                  {canAct ? (
                    <button type="button" disabled={busy}
                      onClick={() => void run(async () => { await api('DELETE', `${base}/${r.user.id}`); reload(); })}>
                      {t('roster.release')}
                    </button>
                  ) : null}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
