// The web UI's message lookup: placeholders, the English plural forms, and the catalogues' parity.
import { describe, expect, it } from 'vitest';
import { en } from '../../web/src/i18n/en.js';
import { translator } from '../../web/src/i18n/index.js';
import { ja } from '../../web/src/i18n/ja.js';

const names = (text: string) => [...new Set([...text.matchAll(/\{(\w+)(?::[^|{}]*\|[^{}]*)?\}/g)].map((m) => m[1]))].sort();

describe('web i18n', () => {
  it('fills placeholders and picks the word that agrees with a count', () => {
    const t = translator('en');
    expect(t('alerts.storm.title', { alerts: '1', groups: '1' })).toBe('Alert storm: 1 alert in the last 5 minutes, 1 new group');
    expect(t('alerts.storm.title', { alerts: '2,850', groups: '0' })).toBe('Alert storm: 2,850 alerts in the last 5 minutes, 0 new groups');
    expect(t('alerts.inbox.setAside', { n: 1 })).toBe('1 accepted request could not be grouped and was set aside; it is kept, and an admin can retry it once the cause is fixed.');
    expect(t('alerts.inbox.setAside', { n: 3 })).toMatch(/^3 accepted requests could not be grouped and were set aside; they are kept, and an admin can retry them/);
    expect(t('group.eventCount', { n: 1 })).toBe('1 alert');
    // A placeholder without a value stays as it is.
    expect(t('alerts.storm.title', { alerts: '5' })).toBe('Alert storm: 5 alerts in the last 5 minutes, {groups} new {groups:group|groups}');
  });

  it('has every message in both languages, with the same placeholders', () => {
    expect(Object.keys(ja).sort()).toEqual(Object.keys(en).sort());
    const differ = Object.keys(en).filter((k) => names(en[k as keyof typeof en]).join() !== names(ja[k as keyof typeof ja]).join());
    expect(differ).toEqual([]);
  });
});
