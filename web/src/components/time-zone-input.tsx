// A time-zone text box with every IANA zone the browser knows as suggestions.
import { useMemo } from 'react';

/** Free text with a datalist, so typing "Tok" finds Asia/Tokyo. */
export function TimeZoneInput({ id, value, onChange }: { id: string; value: string; onChange: (v: string) => void }) {
  const zones = useMemo(() => {
    const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
    return intl.supportedValuesOf?.('timeZone') ?? ['UTC', 'Asia/Tokyo', 'Europe/London', 'America/New_York'];
  }, []);
  return (
    <>
      <input id={id} list={`${id}-zones`} value={value} onChange={(e) => onChange(e.target.value)} autoComplete="off" spellCheck={false} />
      <datalist id={`${id}-zones`}>
        {zones.map((z) => <option key={z} value={z} />)}
      </datalist>
    </>
  );
}
