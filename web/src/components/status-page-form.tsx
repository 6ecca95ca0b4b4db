// A status page's settings: address, name, look (logo, colour), language, time zone and custom host.
// One form for creating a page and for editing it; the server's field errors show beside the fields.
import { type FormEvent, type ReactNode, useState } from 'react';
import { browserTimeZone, useApp } from '../app-context.js';
import type { Locale, StatusPage } from '../types.js';
import { describedBy, Field, FormError, problemAt, useAction } from './form.js';
import { TimeZoneInput } from './time-zone-input.js';

/** What the form sends: blank optional fields are null (cleared). */
export interface StatusPageBody {
  slug: string; name: string; description: string; host: string | null; logoUrl: string | null;
  brandColor: string; locale: Locale; timeZone: string; supportUrl: string | null;
}

const FIELDS = ['slug', 'name', 'description', 'host', 'logoUrl', 'brandColor', 'locale', 'timeZone', 'supportUrl'];
const DEFAULT_COLOR = '#b91c1c';

/** "Acme Cloud" → "acme-cloud", as a first suggestion for the address. */
function slugOf(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
}

/** The settings form; `existing` for an edit. */
export function StatusPageForm({ id, existing, submitLabel, onSubmit, children }: {
  id: string; existing?: StatusPage; submitLabel: string; onSubmit: (body: StatusPageBody) => Promise<unknown>; children?: ReactNode;
}) {
  const { t, user } = useApp();
  const [name, setName] = useState(existing?.name ?? '');
  const [slug, setSlug] = useState(existing?.slug ?? '');
  // Until someone types an address, it follows the name.
  const [slugTouched, setSlugTouched] = useState(!!existing);
  const [description, setDescription] = useState(existing?.description ?? '');
  const [host, setHost] = useState(existing?.host ?? '');
  const [logoUrl, setLogoUrl] = useState(existing?.logoUrl ?? '');
  const [brandColor, setBrandColor] = useState(existing?.brandColor ?? DEFAULT_COLOR);
  const [locale, setLocale] = useState<Locale>(existing?.locale ?? user.locale);
  const [timeZone, setTimeZone] = useState(existing?.timeZone ?? (user.timeZone || browserTimeZone()));
  const [supportUrl, setSupportUrl] = useState(existing?.supportUrl ?? '');
  const { busy, error, run } = useAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const blankNull = (s: string) => (s.trim() ? s.trim() : null);
    void run(() => onSubmit({
      slug: slug.trim(), name, description, host: blankNull(host), logoUrl: blankNull(logoUrl),
      brandColor: brandColor.trim(), locale, timeZone: timeZone.trim(), supportUrl: blankNull(supportUrl),
    }));
  };
  const err = (f: string) => problemAt(error, f);
  const fid = (f: string) => `${id}-${f}`;
  const colorValid = /^#[0-9a-fA-F]{6}$/.test(brandColor.trim());

  return (
    <form onSubmit={submit} noValidate className="status-page-form" data-testid={`${id}-form`}>
      {children}
      <FormError error={error} fields={FIELDS} />
      <div className="row">
        <Field id={fid('name')} label={t('status.name')} hint={t('status.nameHint')} error={err('name')}>
          <input id={fid('name')} value={name} {...describedBy(fid('name'), err('name'), true)}
            onChange={(e) => { setName(e.target.value); if (!slugTouched) setSlug(slugOf(e.target.value)); }} />
        </Field>
        <Field id={fid('slug')} label={t('status.slug')} hint={t('status.slugHint', { slug: slug || 'acme' })} error={err('slug')}>
          <input id={fid('slug')} className="mono" value={slug} spellCheck={false} autoCapitalize="off" {...describedBy(fid('slug'), err('slug'), true)}
            onChange={(e) => { setSlug(e.target.value); setSlugTouched(true); }} />
        </Field>
      </div>
      <Field id={fid('description')} label={t('status.description')} error={err('description')}>
        <textarea id={fid('description')} rows={2} value={description} onChange={(e) => setDescription(e.target.value)} {...describedBy(fid('description'), err('description'))} />
      </Field>
      <div className="row">
        <Field id={fid('locale')} label={t('status.locale')} hint={t('status.localeHint')} error={err('locale')}>
          <select id={fid('locale')} value={locale} onChange={(e) => setLocale(e.target.value as Locale)} {...describedBy(fid('locale'), err('locale'), true)}>
            <option value="en">{t('status.localeEn')}</option>
            <option value="ja">{t('status.localeJa')}</option>
          </select>
        </Field>
        <Field id={fid('tz')} label={t('status.timeZone')} hint={t('status.timeZoneHint')} error={err('timeZone')}>
          <TimeZoneInput id={fid('tz')} value={timeZone} onChange={setTimeZone} />
        </Field>
      </div>
      <div className="row">
        <Field id={fid('logo')} label={t('status.logoUrl')} hint={t('status.logoUrlHint')} error={err('logoUrl')}>
          <input id={fid('logo')} className="mono" value={logoUrl} placeholder="https://" spellCheck={false}
            onChange={(e) => setLogoUrl(e.target.value)} {...describedBy(fid('logo'), err('logoUrl'), true)} />
        </Field>
        <Field id={fid('color')} label={t('status.brandColor')} hint={t('status.brandColorHint')} error={err('brandColor')} className="narrow">
          <div className="color-input">
            <input type="color" aria-hidden="true" tabIndex={-1} value={colorValid ? brandColor.trim().toLowerCase() : DEFAULT_COLOR} onChange={(e) => setBrandColor(e.target.value)} />
            <input id={fid('color')} className="mono" value={brandColor} spellCheck={false} onChange={(e) => setBrandColor(e.target.value)} {...describedBy(fid('color'), err('brandColor'), true)} />
          </div>
        </Field>
      </div>
      {/* The UI's own CSP allows data: images only; an https logo is shown on the public page itself. */}
      {logoUrl.trim().startsWith('data:image/') ? (
        <div className="logo-preview" style={{ borderTopColor: colorValid ? brandColor : undefined }}><img src={logoUrl.trim()} alt="" /></div>
      ) : null}
      <div className="row">
        <Field id={fid('host')} label={t('status.host')} hint={t('status.hostHint')} error={err('host')}>
          <input id={fid('host')} className="mono" value={host} placeholder="status.example.com" spellCheck={false} autoCapitalize="off"
            onChange={(e) => setHost(e.target.value)} {...describedBy(fid('host'), err('host'), true)} />
        </Field>
        <Field id={fid('support')} label={t('status.supportUrl')} hint={t('status.supportUrlHint')} error={err('supportUrl')}>
          <input id={fid('support')} className="mono" value={supportUrl} placeholder="https://" spellCheck={false}
            onChange={(e) => setSupportUrl(e.target.value)} {...describedBy(fid('support'), err('supportUrl'), true)} />
        </Field>
      </div>
      <div className="actions"><button type="submit" className="primary" disabled={busy}>{submitLabel}</button></div>
    </form>
  );
}
