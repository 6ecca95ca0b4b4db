// Admin: how this organisation runs incidents — severity descriptions, incident roles, update clocks
// and the message templates, with a live preview rendered by the very function the server uses.
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../app-context.js';
import { SeverityBadge } from '../components/badges.js';
import { describedBy, Field, FormError, useAction } from '../components/form.js';
import { roleLabel } from '../components/role-label.js';
import { tabListKeys } from '../components/tab-keys.js';
import { translator } from '../i18n/index.js';
import { AUDIENCES, LOCALES, PHASES, SEVERITIES } from '../../../src/shared/phases.js';
import { renderUpdate, TEMPLATE_FIELDS, unknownPlaceholders } from '../../../src/shared/render.js';
import type { Audience, IncidentSettings, Locale, Phase } from '../types.js';

const ROLE_ID = /^[a-z][a-z0-9_-]{0,39}$/;

/** The settings page for /admin/settings. */
export function AdminSettingsPage() {
  const { t, setSettings } = useApp();
  const [saved, setSaved] = useState<IncidentSettings | null>(null);
  const [draft, setDraft] = useState<IncidentSettings | null>(null);
  const [loadFailed, setLoadFailed] = useState<string | null>(null);
  const [notice, setNotice] = useState<'saved' | 'defaults' | null>(null);
  const [audience, setAudience] = useState<Audience>('public');
  const { busy, error, run } = useAction();
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    api<IncidentSettings>('GET', '/settings/incidents')
      .then((s) => { setSaved(s); setDraft(structuredClone(s)); })
      .catch((e: Error) => setLoadFailed(e.message));
  }, []);

  // After a refused save: show the template tab that holds a problem, and focus the first marked field.
  useEffect(() => {
    const fields = error?.problem.errors?.map((e) => e.field) ?? [];
    if (!fields.length) return;
    const tab = fields.map((f) => /^body\.templates\.(\w+)/.exec(f)?.[1]).find((a): a is Audience => (AUDIENCES as readonly string[]).includes(a ?? ''));
    if (tab) setAudience(tab);
    // Wait a frame so the tab's fields are rendered before looking for the first marked one.
    const id = requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
    return () => cancelAnimationFrame(id);
  }, [error]);

  if (!draft || !saved) {
    return (
      <div className="page narrow-page">
        <h1>{t('settings.title')}</h1>
        {loadFailed ? <div role="alert" className="form-error">{t('settings.loadFailed')} {loadFailed}</div> : <p className="muted">{t('app.loading')}</p>}
      </div>
    );
  }

  /** Edits a copy of the draft. */
  const edit = (fn: (d: IncidentSettings) => void) => {
    setNotice(null);
    setDraft((d) => {
      if (!d) return d;
      const copy = structuredClone(d);
      fn(copy);
      return copy;
    });
  };
  /** The server's messages for one field ("templates.public.en" is "body.templates.public.en"). */
  const fieldError = (path: string): string | undefined => {
    const messages = (error?.problem.errors ?? []).filter((e) => e.field === `body.${path}`).map((e) => e.message);
    return messages.length ? messages.join(' · ') : undefined;
  };
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);

  const save = (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    void run(async () => {
      const s = await api<IncidentSettings>('PUT', '/settings/incidents', draft);
      setSaved(s);
      setDraft(structuredClone(s));
      setSettings(s);
      setNotice('saved');
    });
  };
  const resetToDefaults = () => {
    // Loaded on demand: the defaults live beside the server's schema (and zod), which the page does not need otherwise.
    void run(async () => {
      const { DEFAULT_INCIDENT_SETTINGS } = await import('../../../src/modules/settings/settings.schema.js');
      setDraft(structuredClone(DEFAULT_INCIDENT_SETTINGS));
      setNotice('defaults');
    });
  };

  // Every field shown beside its control, so the form-level problem only repeats the others.
  const shown = [
    ...SEVERITIES.flatMap((s) => [`severities.${s}.description.en`, `severities.${s}.description.ja`]), 'roles', ...draft.roles.map((_, i) => `roles.${i}`),
    'firstPublicUpdateMinutes', ...SEVERITIES.flatMap((s) => AUDIENCES.map((a) => `cadenceMinutes.${s}.${a}`)),
    ...AUDIENCES.flatMap((a) => LOCALES.map((l) => `templates.${a}.${l}`)),
  ];
  const problems = error?.problem.errors?.length ?? 0;

  return (
    <div className="page settings-page">
      <h1>{t('settings.title')}</h1>
      <p className="muted">{t('settings.intro')}</p>
      <form ref={formRef} onSubmit={save} noValidate data-testid="settings-form">
        <FormError error={error} fields={shown} />
        <SeveritiesSection draft={draft} edit={edit} fieldError={fieldError} />
        <RolesSection draft={draft} edit={edit} fieldError={fieldError} />
        <ClocksSection draft={draft} edit={edit} fieldError={fieldError} />
        <TemplatesSection draft={draft} edit={edit} fieldError={fieldError} audience={audience} setAudience={setAudience} />
        <div className="save-bar" data-testid="save-bar">
          <span className="save-status" role="status">
            {problems ? <span className="late-text">{t('settings.problems', { n: problems })}</span>
              : notice === 'saved' ? <span className="ok-text">✓ {t('settings.saved')}</span>
                : notice === 'defaults' ? <span className="warn-text">{t('settings.defaultsLoaded')}</span>
                  : dirty ? <span className="warn-text">● {t('settings.unsaved')}</span> : null}
          </span>
          <div className="spacer" />
          <button type="button" className="ghost" disabled={busy} onClick={resetToDefaults}>{t('settings.reset')}</button>
          <button type="button" disabled={busy || !dirty} onClick={() => { setDraft(structuredClone(saved)); setNotice(null); }}>{t('settings.discard')}</button>
          <button type="submit" className="primary" disabled={busy}>{t('settings.save')}</button>
        </div>
      </form>
    </div>
  );
}

interface SectionProps {
  draft: IncidentSettings;
  edit: (fn: (d: IncidentSettings) => void) => void;
  fieldError: (path: string) => string | undefined;
}

function SeveritiesSection({ draft, edit, fieldError }: SectionProps) {
  const { t } = useApp();
  return (
    <section className="panel" aria-labelledby="set-sev-h">
      <h2 id="set-sev-h">{t('settings.severities')}</h2>
      <p className="hint section-hint">{t('settings.severitiesHint')}</p>
      <div className="sev-settings">
        {SEVERITIES.map((s) => {
          return (
            <div key={s} className="sev-setting">
              <SeverityBadge severity={s} />
              <div className="sev-setting-langs">
                {LOCALES.map((l) => {
                  const id = `set-sev-${s}-${l}`;
                  const err = fieldError(`severities.${s}.description.${l}`);
                  return (
                    <Field key={l} id={id} label={t(l === 'en' ? 'settings.severityDescription' : 'settings.severityDescriptionJa', { severity: s })} error={err}>
                      <textarea id={id} rows={2} lang={l} value={draft.severities[s].description[l]}
                        onChange={(e) => edit((d) => { d.severities[s].description[l] = e.target.value; })} {...describedBy(id, err)} />
                    </Field>
                  );
                })}
              </div>
            </div>
          );
        })}
      </div>
    </section>
  );
}

function RolesSection({ draft, edit, fieldError }: SectionProps) {
  const { t } = useApp();
  const [newRole, setNewRole] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const roles = draft.roles;
  const move = (i: number, by: number) => edit((d) => {
    const j = i + by;
    const a = d.roles[i];
    const b = d.roles[j];
    if (a === undefined || b === undefined) return;
    d.roles[i] = b;
    d.roles[j] = a;
  });
  const add = () => {
    const id = newRole.trim().toLowerCase().replace(/\s+/g, '-');
    if (!id) return;
    if (!ROLE_ID.test(id)) return setLocalError(t('settings.roleInvalid'));
    if (roles.includes(id)) return setLocalError(t('settings.roleDuplicate'));
    setLocalError(null);
    setNewRole('');
    edit((d) => { d.roles.push(id); });
  };
  const listError = fieldError('roles');
  const addErr = localError ?? undefined;
  return (
    <section className="panel" aria-labelledby="set-roles-h">
      <h2 id="set-roles-h">{t('settings.roles')}</h2>
      <p className="hint section-hint">{t('settings.rolesHint')}</p>
      <ol className="role-settings" data-testid="role-settings">
        {roles.map((role, i) => {
          const label = roleLabel(t, role);
          const err = fieldError(`roles.${i}`);
          const fixed = role === 'commander';
          return (
            <li key={role} className={err ? 'has-error' : ''}>
              <span className="role-index mono" aria-hidden="true">{i + 1}</span>
              <span className="role-names">
                <strong>{label}</strong>
                {label !== role ? <span className="mono muted small"> {role}</span> : null}
                {fixed ? <span className="chip fixed-chip">{t('settings.roleFixed')}</span> : null}
                {err ? <span className="field-error" role="alert" data-testid={`error-role-${i}`}>{err}</span> : null}
              </span>
              <span className="role-buttons">
                <button type="button" className="icon-button" disabled={i === 0} onClick={() => move(i, -1)}
                  aria-label={t('settings.moveUp', { role: label })} title={t('settings.moveUp', { role: label })}>↑</button>
                <button type="button" className="icon-button" disabled={i === roles.length - 1} onClick={() => move(i, 1)}
                  aria-label={t('settings.moveDown', { role: label })} title={t('settings.moveDown', { role: label })}>↓</button>
                <button type="button" className="icon-button danger" disabled={fixed} onClick={() => edit((d) => { d.roles.splice(i, 1); })}
                  aria-label={t('settings.removeRole', { role: label })} title={fixed ? t('settings.roleFixed') : t('settings.removeRole', { role: label })}>✕</button>
              </span>
            </li>
          );
        })}
      </ol>
      {listError ? <p className="field-error" role="alert" data-testid="error-roles">{listError}</p> : null}
      <div className="row add-role">
        <Field id="set-new-role" label={t('settings.newRole')} hint={t('settings.newRoleHint')} error={addErr}>
          <input id="set-new-role" value={newRole} onChange={(e) => { setNewRole(e.target.value); setLocalError(null); }}
            onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); add(); } }} {...describedBy('set-new-role', addErr, true)} />
        </Field>
        <button type="button" onClick={add} disabled={!newRole.trim()}>+ {t('settings.addRole')}</button>
      </div>
    </section>
  );
}

/** A minutes input: an emptied box is sent as null, and the server says what it expects. */
function MinutesInput({ id, value, onChange, error, label }: {
  id: string; value: number; onChange: (n: number) => void; error?: string | undefined; label?: string;
}) {
  return (
    <input id={id} type="number" min={1} step={1} inputMode="numeric" value={Number.isFinite(value) ? value : ''}
      onChange={(e) => onChange(e.target.value === '' ? Number.NaN : Number(e.target.value))}
      {...(label ? { 'aria-label': label } : {})} {...describedBy(id, error)} />
  );
}

function ClocksSection({ draft, edit, fieldError }: SectionProps) {
  const { t } = useApp();
  const firstErr = fieldError('firstPublicUpdateMinutes');
  return (
    <section className="panel" aria-labelledby="set-clocks-h">
      <h2 id="set-clocks-h">{t('settings.clocks')}</h2>
      <Field id="set-first-public" label={t('settings.firstPublic')} hint={t('settings.firstPublicHint')} error={firstErr} className="first-public">
        <div className="with-unit">
          <MinutesInput id="set-first-public" value={draft.firstPublicUpdateMinutes} error={firstErr}
            onChange={(n) => edit((d) => { d.firstPublicUpdateMinutes = n; })} />
          <span className="muted">{t('settings.minutes')}</span>
        </div>
      </Field>
      <h3 id="set-cadence-h">{t('settings.cadence')}</h3>
      <p className="hint section-hint">{t('settings.cadenceHint')}</p>
      <table className="cadence" aria-labelledby="set-cadence-h">
        <thead>
          <tr>
            <th scope="col">{t('war.severity')}</th>
            {AUDIENCES.map((a) => <th key={a} scope="col">{t(`audience.${a}`)}</th>)}
          </tr>
        </thead>
        <tbody>
          {SEVERITIES.map((s) => (
            <tr key={s}>
              <th scope="row"><SeverityBadge severity={s} /></th>
              {AUDIENCES.map((a) => {
                const id = `set-cadence-${s}-${a}`;
                const err = fieldError(`cadenceMinutes.${s}.${a}`);
                return (
                  <td key={a} className={err ? 'has-error' : ''}>
                    <div className="with-unit">
                      <MinutesInput id={id} value={draft.cadenceMinutes[s][a]} error={err}
                        label={t('settings.cadenceCell', { severity: s, audience: t(`audience.${a}`) })}
                        onChange={(n) => edit((d) => { d.cadenceMinutes[s][a] = n; })} />
                      <span className="muted small">{t('settings.minutes')}</span>
                    </div>
                    {err ? <p className="field-error" id={`${id}-error`} role="alert" data-testid={`error-${id}`}>{err}</p> : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function TemplatesSection({ draft, edit, fieldError, audience, setAudience }: SectionProps & { audience: Audience; setAudience: (a: Audience) => void }) {
  const { t, user } = useApp();
  const [phase, setPhase] = useState<Phase>('investigating');
  const [drill, setDrill] = useState(false);
  const lastFocused = useRef<Locale>('en');
  const areas = useRef<Partial<Record<Locale, HTMLTextAreaElement | null>>>({});

  /** A sample incident in each language, so the preview reads like the real thing. */
  const preview = (l: Locale) => {
    const tt = translator(l);
    const facts = { number: 42, title: tt('settings.sampleTitle'), severity: 'SEV2', commander: user.name, drill };
    const content = { phase, body: tt('settings.sampleBody'), impact: tt('settings.sampleImpact'), eta: tt('settings.sampleEta'), decisionsNeeded: tt('settings.sampleDecisions') };
    return renderUpdate(draft.templates, audience, l, facts, content);
  };

  /** Puts {{field}} at the cursor of the template last edited. */
  const insert = (field: string) => {
    const l = lastFocused.current;
    const area = areas.current[l];
    const text = draft.templates[audience][l];
    const start = area?.selectionStart ?? text.length;
    const end = area?.selectionEnd ?? text.length;
    const token = `{{${field}}}`;
    edit((d) => { d.templates[audience][l] = text.slice(0, start) + token + text.slice(end); });
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(start + token.length, start + token.length);
    });
  };

  const tabHasError = (a: Audience) => LOCALES.some((l) => fieldError(`templates.${a}.${l}`));

  return (
    <section className="panel" aria-labelledby="set-templates-h">
      <h2 id="set-templates-h">{t('settings.templates')}</h2>
      <p className="hint section-hint">{t('settings.templatesHint')}</p>
      <div className="tabs" role="tablist" aria-label={t('settings.templates')} onKeyDown={tabListKeys}>
        {AUDIENCES.map((a) => (
          <button key={a} type="button" role="tab" id={`tpl-tab-${a}`} aria-selected={audience === a} aria-controls="tpl-panel" className="tab"
            tabIndex={audience === a ? 0 : -1} onClick={() => setAudience(a)}>
            {t(`audience.${a}`)}
            {tabHasError(a) ? <span className="dot-late" aria-hidden="true" /> : null}
          </button>
        ))}
      </div>
      <div id="tpl-panel" role="tabpanel" aria-labelledby={`tpl-tab-${audience}`}>
        <div className="template-grid">
          {LOCALES.map((l) => {
            const id = `set-template-${audience}-${l}`;
            const err = fieldError(`templates.${audience}.${l}`);
            const unknown = unknownPlaceholders(draft.templates[audience][l]);
            const hint = !err && unknown.length ? t('settings.unknownPlaceholder', { names: unknown.map((n) => `{{${n}}}`).join(', ') }) : undefined;
            return (
              <div key={l} className="template-col" data-testid={`template-${audience}-${l}`}>
                <Field id={id} label={t(l === 'en' ? 'settings.templateEn' : 'settings.templateJa')} error={err}
                  hint={hint ? <span className="warn-text">{hint}</span> : undefined}>
                  <textarea id={id} lang={l} rows={6} className="template-input" spellCheck={false} value={draft.templates[audience][l]}
                    ref={(el) => { areas.current[l] = el; }}
                    onFocus={() => { lastFocused.current = l; }}
                    onChange={(e) => edit((d) => { d.templates[audience][l] = e.target.value; })} {...describedBy(id, err, !!hint)} />
                </Field>
                <div className="preview" aria-label={`${t('composer.preview')} · ${t(l === 'en' ? 'composer.previewEn' : 'composer.previewJa')}`}>
                  <div className="preview-label">{t('composer.preview')} · {t(l === 'en' ? 'composer.previewEn' : 'composer.previewJa')}</div>
                  <pre lang={l} data-testid={`template-preview-${l}`}>{preview(l)}</pre>
                </div>
              </div>
            );
          })}
        </div>
        <div className="row sample-row">
          <Field id="set-sample-phase" label={t('settings.samplePhase')} className="narrow">
            <select id="set-sample-phase" value={phase} onChange={(e) => setPhase(e.target.value as Phase)}>
              {PHASES.map((p) => <option key={p} value={p}>{t(`phase.${p}`)}</option>)}
            </select>
          </Field>
          <label className="check sample-drill">
            <input type="checkbox" checked={drill} onChange={(e) => setDrill(e.target.checked)} />
            {t('settings.sampleDrill')}
          </label>
        </div>
        <h3 id="set-placeholders-h">{t('settings.placeholders')}</h3>
        <p className="hint section-hint">{t('settings.placeholdersHint')}</p>
        <ul className="placeholders" aria-labelledby="set-placeholders-h" data-testid="placeholders">
          {TEMPLATE_FIELDS.map((f) => (
            <li key={f}>
              <button type="button" className="placeholder-button mono" onClick={() => insert(f)}
                aria-label={t('settings.insertPlaceholder', { name: `{{${f}}}` })}>{`{{${f}}}`}</button>
              <span className="muted small">{t(`settings.ph.${f}`)}</span>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
