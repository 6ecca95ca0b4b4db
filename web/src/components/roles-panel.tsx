// Incident roles (commander, communications, …): who holds each, hand-over, unassign.
import { useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import type { IncidentDetail } from '../types.js';
import { FormError, useAction } from './form.js';
import { roleLabel } from './role-label.js';
import { UserSelect } from './user-select.js';

/** The roles panel. */
export function RolesPanel({ incident, reload }: { incident: IncidentDetail; reload: () => void }) {
  const { t, settings } = useApp();
  const action = useAction();
  const roles = [...new Set([...settings.roles, ...incident.roles.map((r) => r.role)])];
  return (
    <section className="panel" aria-labelledby="roles-h">
      <h2 id="roles-h">{t('roles.title')}</h2>
      <FormError error={action.error} />
      <ul className="roles">
        {roles.map((role) => (
          <RoleRow key={role} role={role} incident={incident} action={action} reload={reload} />
        ))}
      </ul>
    </section>
  );
}

function RoleRow({ role, incident, action, reload }: {
  role: string; incident: IncidentDetail; action: ReturnType<typeof useAction>; reload: () => void;
}) {
  const { t, canAct } = useApp();
  const holder = incident.roles.find((r) => r.role === role)?.user ?? null;
  const [pick, setPick] = useState('');
  const id = `role-${role}`;
  const base = `/incidents/${incident.id}/roles/${encodeURIComponent(role)}`;
  const assign = () => {
    if (!pick) return;
    void action.run(async () => { await api('PUT', base, { userId: pick }); setPick(''); reload(); });
  };
  return (
    <li className="role-row" data-testid={id}>
      <div className="role-name">{roleLabel(t, role)}</div>
      <div className={`role-holder ${holder ? '' : 'muted'}`}>{holder?.name ?? t('common.unassigned')}</div>
      {canAct ? (
        <form className="inline" onSubmit={(e) => { e.preventDefault(); assign(); }}>
          <label htmlFor={id} className="sr-only">{t('roles.assignTo', { role: roleLabel(t, role) })}</label>
          <UserSelect id={id} value={pick} onChange={(e) => setPick(e.target.value)} placeholder={t('common.choose')} />
          <button type="submit" disabled={!pick || action.busy}>{holder ? t('roles.handOver') : t('roles.assign')}</button>
          {holder && role !== 'commander' ? (
            <button type="button" className="ghost" disabled={action.busy}
              onClick={() => void action.run(async () => { await api('DELETE', base); reload(); })}>{t('roles.unassign')}</button>
          ) : null}
        </form>
      ) : null}
    </li>
  );
}
