// Admin: teams and who is in them — create a team, add and remove members.
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { describedBy, Field, FormError, useAction } from '../components/form.js';
import type { Team, User } from '../types.js';

/** The teams page for /admin/teams. */
export function AdminTeamsPage() {
  const { t, reloadUsers } = useApp();
  const [teams, setTeams] = useState<Team[] | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const member = useAction();

  const load = useCallback(async () => {
    try {
      setTeams((await api<{ teams: Team[] }>('GET', '/teams')).teams);
      setFailed(null);
    } catch (e) {
      setFailed(e instanceof Error ? e.message : String(e));
    }
  }, []);
  useEffect(() => { void load(); }, [load]);

  /** Adds or removes a member, then refreshes the teams and the people (whose team list changed). */
  const setMember = (team: Team, userId: string, add: boolean) => member.run(async () => {
    await api(add ? 'PUT' : 'DELETE', `/teams/${team.id}/members/${userId}`);
    await load();
    reloadUsers();
  });

  return (
    <div className="page narrow-page">
      <h1>{t('teams.title')}</h1>
      {failed ? <div role="alert" className="form-error">{failed}</div> : null}
      <FormError error={member.error} />
      {teams === null ? <p className="muted">{t('app.loading')}</p> : teams.length === 0 ? (
        <p className="empty">{t('teams.empty')}</p>
      ) : (
        <ul className="teams" data-testid="teams">
          {teams.map((team) => <TeamCard key={team.id} team={team} busy={member.busy} setMember={setMember} />)}
        </ul>
      )}
      <NewTeamForm reload={load} />
    </div>
  );
}

function TeamCard({ team, busy, setMember }: { team: Team; busy: boolean; setMember: (team: Team, userId: string, add: boolean) => Promise<boolean> }) {
  const { t, users, user: me } = useApp();
  const [pick, setPick] = useState('');
  const byId = new Map(users.map((u) => [u.id, u]));
  const members = team.memberIds.map((id) => byId.get(id)).filter((u): u is User => !!u).sort((a, b) => a.name.localeCompare(b.name));
  const others = users.filter((u) => !u.disabled && !team.memberIds.includes(u.id));
  const name = (u: User) => (u.id === me.id ? t('common.me', { name: u.name }) : u.name);
  const id = `team-add-${team.id}`;
  const add = (e: FormEvent) => {
    e.preventDefault();
    if (!pick) return;
    void setMember(team, pick, true).then((ok) => { if (ok) setPick(''); });
  };
  return (
    <li className="panel team" data-testid="team" aria-labelledby={`team-h-${team.id}`}>
      <div className="panel-head">
        <h2 id={`team-h-${team.id}`}>{team.name}</h2>
        <span className="count">{t('teams.count', { n: members.length })}</span>
      </div>
      {members.length === 0 ? <p className="muted">{t('teams.noMembers')}</p> : (
        <ul className="members" aria-label={t('teams.members')}>
          {members.map((u) => (
            <li key={u.id} className={u.disabled ? 'muted' : ''}>
              <span className="member-name">{name(u)}</span>
              <span className="muted small">{u.email} · {t(`role.${u.role}`)}</span>
              <button type="button" className="ghost small-button" disabled={busy} onClick={() => void setMember(team, u.id, false)}
                aria-label={t('teams.removeMember', { name: u.name, team: team.name })}>{t('teams.remove')}</button>
            </li>
          ))}
        </ul>
      )}
      {others.length === 0 ? <p className="muted small">{t('teams.everyone')}</p> : (
        <form className="inline add-member" onSubmit={add}>
          <label htmlFor={id} className="sr-only">{t('teams.addTo', { team: team.name })}</label>
          <select id={id} value={pick} onChange={(e) => setPick(e.target.value)}>
            <option value="">{t('common.choose')}</option>
            {others.map((u) => <option key={u.id} value={u.id}>{name(u)}</option>)}
          </select>
          <button type="submit" disabled={busy || !pick}>+ {t('teams.addMember')}</button>
        </form>
      )}
    </li>
  );
}

function NewTeamForm({ reload }: { reload: () => Promise<void> }) {
  const { t } = useApp();
  const [name, setName] = useState('');
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api('POST', '/teams', { name });
      setName('');
      await reload();
    });
  };
  const err = error?.field('name');
  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby="team-new-h">
      <h2 id="team-new-h">{t('teams.new')}</h2>
      <FormError error={error} fields={['name']} />
      <div className="row align-end">
        <Field id="team-name" label={t('teams.name')} error={err}>
          <input id="team-name" value={name} onChange={(e) => setName(e.target.value)} {...describedBy('team-name', err)} />
        </Field>
        <button type="submit" className="primary" disabled={busy}>{t('teams.create')}</button>
      </div>
    </form>
  );
}
