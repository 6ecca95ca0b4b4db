// A source's settings form, drawn from the JSON Schema the server derives from the plugin's zod schema
// (GET /sources): strings, numbers, booleans and lists of strings get controls; anything else is JSON.
import type { ApiError } from '../api.js';
import { useApp } from '../app-context.js';
import { describedBy, Field } from './form.js';

type Json = Record<string, unknown>;
type Kind = 'string' | 'secret' | 'number' | 'boolean' | 'enum' | 'strings' | 'json';

/** One config property and how it is edited. */
export interface ConfigField {
  key: string; kind: Kind; label: string; description: string | null; required: boolean;
  options: string[]; defaultValue: unknown; min?: number; max?: number;
  /** For a JSON object: its properties, to explain what to write. */
  parts: { name: string; required: boolean; description: string | null }[];
}

/** The text (or checkbox) state of every field. */
export type ConfigDraft = Record<string, string | boolean>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `anyOf: [X, {type: null}]` (optional/nullable) and `type: [X, 'null']` read as X. */
function unwrap(s: Json): Json {
  const alts = (Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : null)?.filter(isObj);
  if (alts) {
    const real = alts.filter((a) => a.type !== 'null');
    if (real.length === 1 && real[0]) return unwrap({ ...real[0], ...(s.description ? { description: s.description } : {}), ...('default' in s ? { default: s.default } : {}) });
    return s;
  }
  if (Array.isArray(s.type)) {
    const real = s.type.filter((x) => x !== 'null');
    if (real.length === 1) return { ...s, type: real[0] };
  }
  return s;
}

function kindOf(key: string, s: Json): Kind {
  if (Array.isArray(s.enum) && s.enum.every((x) => typeof x === 'string')) return 'enum';
  if (s.type === 'string') return /secret|password|token/i.test(key) ? 'secret' : 'string';
  if (s.type === 'number' || s.type === 'integer') return 'number';
  if (s.type === 'boolean') return 'boolean';
  if (s.type === 'array' && isObj(s.items) && unwrap(s.items).type === 'string' && !unwrap(s.items).enum) return 'strings';
  return 'json';
}

/** What an object schema's properties are, for the hint under a JSON field. */
function objectParts(s: Json): ConfigField['parts'] {
  if (!isObj(s.properties)) return [];
  const required = new Set(Array.isArray(s.required) ? s.required : []);
  return Object.entries(s.properties).map(([name, p]) => ({
    name, required: required.has(name), description: isObj(p) && typeof p.description === 'string' ? p.description : null,
  }));
}

/** A start for a required object with no default: its required string properties, empty. */
function skeleton(s: Json): unknown {
  if (s.type !== 'object' || !isObj(s.properties)) return undefined;
  const required = Array.isArray(s.required) ? s.required.filter((x): x is string => typeof x === 'string') : [];
  return Object.fromEntries(required.map((k) => [k, '']));
}

/** The fields of a config JSON Schema (an object schema); none when it has no properties. */
export function configFields(schema: unknown): ConfigField[] {
  if (!isObj(schema) || !isObj(schema.properties)) return [];
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((x): x is string => typeof x === 'string') : []);
  return Object.entries(schema.properties).filter(([, v]) => isObj(v)).map(([key, raw]) => {
    const s = unwrap(raw as Json);
    const kind = kindOf(key, s);
    return {
      key, kind,
      label: typeof s.title === 'string' ? s.title : key,
      description: typeof s.description === 'string' ? s.description : null,
      // A field with a default may be left empty: the server fills it in.
      required: required.has(key) && !('default' in s),
      options: kind === 'enum' ? (s.enum as string[]) : [],
      defaultValue: s.default ?? (kind === 'json' && required.has(key) ? skeleton(s) : undefined),
      parts: kind === 'json' ? objectParts(s) : [],
      ...(typeof s.minimum === 'number' ? { min: s.minimum } : {}),
      ...(typeof s.maximum === 'number' ? { max: s.maximum } : {}),
    };
  });
}

/** The draft for a new integration (defaults) or an existing one (its config). */
export function configDraft(fields: ConfigField[], config?: Json): ConfigDraft {
  const draft: ConfigDraft = {};
  for (const f of fields) {
    const v = config && f.key in config ? config[f.key] : f.defaultValue;
    if (f.kind === 'boolean') draft[f.key] = v === true;
    else if (v === undefined || v === null) draft[f.key] = '';
    else if (f.kind === 'strings') draft[f.key] = Array.isArray(v) ? v.map(String).join('\n') : '';
    else if (f.kind === 'json') draft[f.key] = JSON.stringify(v, null, 2);
    else draft[f.key] = String(v);
  }
  return draft;
}

/** The config to send, or the fields whose text is not what they need (JSON that does not parse). */
export function configFromDraft(fields: ConfigField[], draft: ConfigDraft, bad: (key: string) => string): { config: Json; errors: Record<string, string> } {
  const config: Json = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const v = draft[f.key];
    if (f.kind === 'boolean') {
      config[f.key] = v === true;
      continue;
    }
    const text = typeof v === 'string' ? v : '';
    // Empty means "not set" (the server's default applies) — except a required string, which the server then names.
    if (!text.trim()) {
      if (f.required && (f.kind === 'string' || f.kind === 'secret')) config[f.key] = '';
      continue;
    }
    if (f.kind === 'number') {
      const n = Number(text);
      if (Number.isFinite(n)) config[f.key] = n;
      else errors[f.key] = bad('number');
    } else if (f.kind === 'strings') {
      config[f.key] = text.split('\n').map((s) => s.trim()).filter(Boolean);
    } else if (f.kind === 'json') {
      try {
        config[f.key] = JSON.parse(text) as unknown;
      } catch (e) {
        errors[f.key] = `${bad('json')} ${e instanceof Error ? e.message : ''}`.trim();
      }
    } else {
      config[f.key] = text;
    }
  }
  return { config, errors };
}

/** The server's message for a config key ("body.config.mapping.title" belongs to "mapping"). */
function serverError(error: ApiError | null, key: string): string | undefined {
  const hits = (error?.problem.errors ?? []).filter((e) => {
    const f = e.field.replace(/^body\./, '');
    return f === `config.${key}` || f.startsWith(`config.${key}.`);
  });
  return hits.length ? hits.map((e) => (e.field.replace(/^body\.config\./, '') === key ? e.message : `${e.field.replace(/^body\.config\./, '')}: ${e.message}`)).join(' · ') : undefined;
}

/** The controls. */
export function ConfigFields({ id, fields, draft, onChange, error, clientErrors }: {
  id: string; fields: ConfigField[]; draft: ConfigDraft; onChange: (d: ConfigDraft) => void;
  error: ApiError | null; clientErrors: Record<string, string>;
}) {
  const { t } = useApp();
  if (!fields.length) return <p className="muted small">{t('integrations.noConfig')}</p>;
  const set = (key: string, v: string | boolean) => onChange({ ...draft, [key]: v });
  return (
    <div className="config-fields">
      {fields.map((f) => {
        const fid = `${id}-${f.key}`;
        const err = clientErrors[f.key] ?? serverError(error, f.key);
        const hint = [f.description, f.kind === 'strings' ? t('integrations.onePerLine') : null, f.kind === 'json' ? t('integrations.jsonHint') : null]
          .filter(Boolean).join(' ') || undefined;
        const label = <><span className="mono">{f.label}</span>{f.required ? <span className="muted"> ({t('integrations.required')})</span> : null}</>;
        const v = draft[f.key];
        const text = typeof v === 'string' ? v : '';
        if (f.kind === 'boolean') {
          return (
            <div key={f.key} className={`field${err ? ' has-error' : ''}`}>
              <label className="check" htmlFor={fid}>
                <input id={fid} type="checkbox" checked={v === true} onChange={(e) => set(f.key, e.target.checked)} {...describedBy(fid, err, !!hint)} />
                {label}
              </label>
              {hint ? <p className="hint" id={`${fid}-hint`}>{hint}</p> : null}
              {err ? <p className="field-error" id={`${fid}-error`} role="alert">{err}</p> : null}
            </div>
          );
        }
        return (
          <Field key={f.key} id={fid} label={label} hint={hint} error={err}>
            {f.kind === 'enum' ? (
              <select id={fid} value={text} onChange={(e) => set(f.key, e.target.value)} {...describedBy(fid, err, !!hint)}>
                {f.required ? null : <option value="">{t('common.choose')}</option>}
                {f.options.map((o) => <option key={o} value={o}>{o}</option>)}
              </select>
            ) : f.kind === 'strings' || f.kind === 'json' ? (
              <>
                <textarea id={fid} className="mono" rows={f.kind === 'json' ? Math.min(16, Math.max(4, text.split('\n').length + 1)) : 3} value={text}
                  spellCheck={false} onChange={(e) => set(f.key, e.target.value)} {...describedBy(fid, err, !!hint)} />
                {f.parts.length ? (
                  <details className="json-parts">
                    <summary>{t('integrations.jsonParts', { name: f.label })}</summary>
                    <dl className="kv">
                      {f.parts.map((p) => (
                        <div key={p.name}>
                          <dt className="mono">{p.name}{p.required ? <span className="muted"> ({t('integrations.required')})</span> : null}</dt>
                          <dd>{p.description ?? ''}</dd>
                        </div>
                      ))}
                    </dl>
                  </details>
                ) : null}
              </>
            ) : (
              <input id={fid} type={f.kind === 'number' ? 'number' : f.kind === 'secret' ? 'password' : 'text'} value={text}
                autoComplete="off" min={f.min} max={f.max} onChange={(e) => set(f.key, e.target.value)} {...describedBy(fid, err, !!hint)} />
            )}
          </Field>
        );
      })}
    </div>
  );
}
