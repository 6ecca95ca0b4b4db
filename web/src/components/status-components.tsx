// A page's groups and components in display order: responders set each component's status; admins
// add, rename, regroup, reorder (up/down) and delete. Groups and ungrouped components share one order.
import { useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { COMPONENT_STATUSES, type ComponentStatus, type StatusComponent, type StatusGroup, type StatusPageDetail } from '../types.js';
import { FormError, useAction } from './form.js';
import { AddComponentForm, AddGroupForm, EditComponentForm, EditGroupForm } from './status-component-forms.js';
import { ComponentStatusBadge } from './status-badges.js';

type Item = { kind: 'group'; group: StatusGroup; position: number } | { kind: 'component'; component: StatusComponent; position: number };

/** Top-level items (groups and ungrouped components) by position. */
function topLevel(page: StatusPageDetail): Item[] {
  const items: Item[] = [
    ...page.groups.map((g) => ({ kind: 'group' as const, group: g, position: g.position })),
    ...page.components.filter((c) => !c.groupId).map((c) => ({ kind: 'component' as const, component: c, position: c.position })),
  ];
  return items.sort((a, b) => a.position - b.position);
}

/** The list with its up/down, edit and delete controls. */
export function StatusComponents({ page, base, reload }: { page: StatusPageDetail; base: string; reload: () => void }) {
  const { t, user, canAct } = useApp();
  const admin = user.role === 'admin';
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const action = useAction();
  const byId = new Map(page.components.map((c) => [c.id, c]));
  const items = topLevel(page);

  /** Moves one entry of an ordered list and writes the positions that changed. */
  const reorder = (list: { path: string; position: number }[], index: number, by: -1 | 1) => void action.run(async () => {
    const next = list.slice();
    const [moved] = next.splice(index, 1);
    if (!moved) return;
    next.splice(index + by, 0, moved);
    for (const [i, entry] of next.entries()) {
      if (entry.position !== i) await api('PATCH', entry.path, { position: i });
    }
    reload();
  });
  const pathOf = (item: Item) => item.kind === 'group'
    ? `${base}/groups/${encodeURIComponent(item.group.id)}` : `${base}/components/${encodeURIComponent(item.component.id)}`;
  const topList = items.map((i) => ({ path: pathOf(i), position: i.position }));
  const groupList = (g: StatusGroup) => g.componentIds.flatMap((id) => {
    const c = byId.get(id);
    return c ? [{ path: `${base}/components/${encodeURIComponent(c.id)}`, position: c.position }] : [];
  });
  const endPosition = (groupId: string | null) => {
    const siblings = groupId ? page.components.filter((c) => c.groupId === groupId).map((c) => c.position) : items.map((i) => i.position);
    return siblings.length ? Math.max(...siblings) + 1 : 0;
  };
  const setStatus = (c: StatusComponent, status: ComponentStatus) => void action.run(async () => {
    await api('PUT', `${base}/components/${encodeURIComponent(c.id)}/status`, { status });
    reload();
  });
  const remove = (path: string) => void action.run(async () => {
    await api('DELETE', path);
    setConfirming(null);
    reload();
  });

  const moveButtons = (name: string, index: number, count: number, onMove: (by: -1 | 1) => void) => admin ? (
    <span className="order-buttons">
      <button type="button" className="icon-button" aria-label={t('status.moveUp', { name })} disabled={index === 0 || action.busy} onClick={() => onMove(-1)}>↑</button>
      <button type="button" className="icon-button" aria-label={t('status.moveDown', { name })} disabled={index === count - 1 || action.busy} onClick={() => onMove(1)}>↓</button>
    </span>
  ) : null;

  const confirmRow = (key: string, text: string, path: string) => confirming === key ? (
    <div className="confirm" role="group" aria-label={text}>
      <p className="warn-text">{text}</p>
      <div className="actions">
        <button type="button" onClick={() => setConfirming(null)}>{t('common.cancel')}</button>
        <button type="button" className="danger" disabled={action.busy} onClick={() => remove(path)} autoFocus>{t('status.delete.short')}</button>
      </div>
    </div>
  ) : null;

  const componentRow = (c: StatusComponent, index: number, count: number, onMove: (by: -1 | 1) => void) => (
    <li key={c.id} className="status-component" data-testid="status-component">
      {editing === c.id ? (
        <EditComponentForm base={base} component={c} groups={page.groups} endPosition={endPosition}
          onDone={(saved) => { setEditing(null); if (saved) reload(); }} />
      ) : (
        <div className="status-row">
          {moveButtons(c.name, index, count, onMove)}
          <div className="status-name">
            <strong>{c.name}</strong>
            {c.description ? <span className="muted small"> · {c.description}</span> : null}
            {c.status !== c.manualStatus ? (
              <div className="small" title={t('status.effectiveHint')}>{t('status.effective')} <ComponentStatusBadge status={c.status} /></div>
            ) : null}
          </div>
          {canAct ? (
            <select className="status-select" aria-label={t('status.statusOf', { name: c.name })} value={c.manualStatus} disabled={action.busy}
              onChange={(e) => setStatus(c, e.target.value as ComponentStatus)}>
              {COMPONENT_STATUSES.map((s) => <option key={s} value={s}>{t(`status.component.${s}`)}</option>)}
            </select>
          ) : <ComponentStatusBadge status={c.status} />}
          {admin ? (
            <span className="row-actions">
              <button type="button" className="small-button" aria-label={t('status.renameOf', { name: c.name })} onClick={() => setEditing(c.id)}>{t('status.rename')}</button>
              <button type="button" className="small-button danger" aria-label={t('status.deleteOf', { name: c.name })} onClick={() => setConfirming(c.id)}>{t('status.delete.short')}</button>
            </span>
          ) : null}
        </div>
      )}
      {confirmRow(c.id, t('status.deleteComponentConfirm', { name: c.name }), `${base}/components/${encodeURIComponent(c.id)}`)}
    </li>
  );

  return (
    <section className="panel" aria-labelledby="components-h" data-testid="status-components">
      <h2 id="components-h">{t('status.components')}</h2>
      <p className="muted section-hint">{t('status.componentsHint')}</p>
      <FormError error={action.error} />
      {items.length === 0 ? <p className="empty">{t('status.noComponents')}</p> : (
        <ul className="status-components">
          {items.map((item, index) => {
            const onMove = (by: -1 | 1) => reorder(topList, index, by);
            if (item.kind === 'component') return componentRow(item.component, index, items.length, onMove);
            const g = item.group;
            const members = g.componentIds.flatMap((id) => byId.get(id) ?? []);
            return (
              <li key={g.id} className="status-group" data-testid="status-group">
                {editing === g.id ? (
                  <EditGroupForm base={base} group={g} onDone={(saved) => { setEditing(null); if (saved) reload(); }} />
                ) : (
                  <div className="status-row group-row">
                    {moveButtons(g.name, index, items.length, onMove)}
                    <h3 className="status-name">{g.name}</h3>
                    {admin ? (
                      <span className="row-actions">
                        <button type="button" className="small-button" aria-label={t('status.renameOf', { name: g.name })} onClick={() => setEditing(g.id)}>{t('status.rename')}</button>
                        <button type="button" className="small-button danger" aria-label={t('status.deleteOf', { name: g.name })} onClick={() => setConfirming(g.id)}>{t('status.delete.short')}</button>
                      </span>
                    ) : null}
                  </div>
                )}
                {confirmRow(g.id, t('status.deleteGroupConfirm', { name: g.name }), `${base}/groups/${encodeURIComponent(g.id)}`)}
                {members.length ? (
                  <ul className="status-components nested">
                    {members.map((c, i) => componentRow(c, i, members.length, (by) => reorder(groupList(g), i, by)))}
                  </ul>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {admin ? (
        <div className="status-adds">
          <AddComponentForm base={base} groups={page.groups} onDone={reload} />
          <AddGroupForm base={base} onDone={reload} />
        </div>
      ) : null}
    </section>
  );
}
