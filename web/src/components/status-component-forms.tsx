// Forms of the components editor: add a component, add a group, edit a component or a group in place.
import { type FormEvent, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import type { StatusComponent, StatusGroup } from '../types.js';
import { describedBy, Field, FormError, problemAt, useAction } from './form.js';

/** The group picker: "— no group —" and the page's groups. */
function GroupSelect({ id, groups, value, onChange }: { id: string; groups: StatusGroup[]; value: string; onChange: (v: string) => void }) {
  const { t } = useApp();
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{t('status.noGroup')}</option>
      {groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
    </select>
  );
}

/** Adds a component (admins). */
export function AddComponentForm({ base, groups, onDone }: { base: string; groups: StatusGroup[]; onDone: () => void }) {
  const { t } = useApp();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [groupId, setGroupId] = useState('');
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api('POST', `${base}/components`, { name, description, groupId: groupId || null });
      setName('');
      setDescription('');
      onDone();
    });
  };
  const nameErr = problemAt(error, 'name');
  return (
    <form className="subform status-add" onSubmit={submit} noValidate aria-labelledby="add-component-h" data-testid="add-component">
      <h3 id="add-component-h">{t('status.addComponent')}</h3>
      <FormError error={error} fields={['name', 'description', 'groupId']} />
      <div className="row align-end">
        <Field id="component-name" label={t('status.componentName')} error={nameErr}>
          <input id="component-name" value={name} onChange={(e) => setName(e.target.value)} {...describedBy('component-name', nameErr)} />
        </Field>
        <Field id="component-description" label={t('status.componentDescription')} error={problemAt(error, 'description')}>
          <input id="component-description" value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
        {groups.length ? (
          <Field id="component-group" label={t('status.componentGroup')} error={problemAt(error, 'groupId')} className="narrow">
            <GroupSelect id="component-group" groups={groups} value={groupId} onChange={setGroupId} />
          </Field>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>{t('status.addComponent')}</button>
      </div>
    </form>
  );
}

/** Adds a group (admins). */
export function AddGroupForm({ base, onDone }: { base: string; onDone: () => void }) {
  const { t } = useApp();
  const [name, setName] = useState('');
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api('POST', `${base}/groups`, { name });
      setName('');
      onDone();
    });
  };
  const nameErr = problemAt(error, 'name');
  return (
    <form className="subform status-add" onSubmit={submit} noValidate aria-labelledby="add-group-h" data-testid="add-group">
      <h3 id="add-group-h">{t('status.addGroup')}</h3>
      <FormError error={error} fields={['name']} />
      <div className="row align-end">
        <Field id="group-name" label={t('status.groupName')} error={nameErr}>
          <input id="group-name" value={name} onChange={(e) => setName(e.target.value)} {...describedBy('group-name', nameErr)} />
        </Field>
        <button type="submit" disabled={busy}>{t('status.addGroup')}</button>
      </div>
    </form>
  );
}

/** A component's name, description and group, edited in place. */
export function EditComponentForm({ base, component, groups, endPosition, onDone }: {
  base: string; component: StatusComponent; groups: StatusGroup[]; endPosition: (groupId: string | null) => number; onDone: (saved: boolean) => void;
}) {
  const { t } = useApp();
  const [name, setName] = useState(component.name);
  const [description, setDescription] = useState(component.description);
  const [groupId, setGroupId] = useState(component.groupId ?? '');
  const { busy, error, run } = useAction();
  const id = `edit-${component.id}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const moved = (component.groupId ?? '') !== groupId;
      // A component moved into another group goes to that group's end.
      await api('PATCH', `${base}/components/${encodeURIComponent(component.id)}`, {
        name, description, ...(moved ? { groupId: groupId || null, position: endPosition(groupId || null) } : {}),
      });
      onDone(true);
    });
  };
  const nameErr = problemAt(error, 'name');
  return (
    <form className="status-edit" onSubmit={submit} noValidate aria-label={t('status.renameOf', { name: component.name })}>
      <FormError error={error} fields={['name', 'description', 'groupId']} />
      <div className="row align-end">
        <Field id={`${id}-name`} label={t('status.componentName')} error={nameErr}>
          <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} autoFocus {...describedBy(`${id}-name`, nameErr)} />
        </Field>
        <Field id={`${id}-description`} label={t('status.componentDescription')}>
          <input id={`${id}-description`} value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
        <Field id={`${id}-group`} label={t('status.componentGroup')} className="narrow">
          <GroupSelect id={`${id}-group`} groups={groups} value={groupId} onChange={setGroupId} />
        </Field>
        <button type="button" onClick={() => onDone(false)}>{t('common.cancel')}</button>
        <button type="submit" className="primary" disabled={busy}>{t('common.save')}</button>
      </div>
    </form>
  );
}

/** A group's name, edited in place. */
export function EditGroupForm({ base, group, onDone }: { base: string; group: StatusGroup; onDone: (saved: boolean) => void }) {
  const { t } = useApp();
  const [name, setName] = useState(group.name);
  const { busy, error, run } = useAction();
  const id = `edit-${group.id}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      await api('PATCH', `${base}/groups/${encodeURIComponent(group.id)}`, { name });
      onDone(true);
    });
  };
  const nameErr = problemAt(error, 'name');
  return (
    <form className="status-edit" onSubmit={submit} noValidate aria-label={t('status.renameOf', { name: group.name })}>
      <FormError error={error} fields={['name']} />
      <div className="row align-end">
        <Field id={`${id}-name`} label={t('status.groupName')} error={nameErr}>
          <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} autoFocus {...describedBy(`${id}-name`, nameErr)} />
        </Field>
        <button type="button" onClick={() => onDone(false)}>{t('common.cancel')}</button>
        <button type="submit" className="primary" disabled={busy}>{t('common.save')}</button>
      </div>
    </form>
  );
}
