import { describe, expect, it, vi } from 'vitest';
import type { PageState, PublicComponent, SnapshotFile } from '../model.js';
import { STATUS_COLORS, accentColors, contrastRatio } from './html-layout.js';
import { renderPage } from './index.js';
import { BUILT_AT, sampleState } from './sample-state.js';

const byPath = (files: SnapshotFile[]) => new Map(files.map((f) => [f.path, f.body]));
const htmlFiles = (files: SnapshotFile[]) => files.filter((f) => f.path.endsWith('.html'));
const get = (files: SnapshotFile[], path: string) => {
  const body = byPath(files).get(path);
  if (body === undefined) throw new Error(`no ${path}`);
  return body;
};
const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Every (tag, attribute, value) in a document; values decoded. */
function attributes(html: string): { tag: string; name: string; value: string }[] {
  const out: { tag: string; name: string; value: string }[] = [];
  for (const m of html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*\/?>/g)) {
    for (const a of m[2]!.matchAll(/\s+([^\s=>]+)(?:="([^"]*)")?/g)) out.push({ tag: m[1]!.toLowerCase(), name: a[1]!.toLowerCase(), value: decode(a[2] ?? '') });
  }
  return out;
}

describe('renderPage HTML', () => {
  const files = renderPage(sampleState());

  it('writes both languages, history, incident and maintenance pages, JSON and feeds', () => {
    const paths = files.map((f) => f.path);
    for (const p of ['index.html', 'history.html', 'incidents/inc1.html', 'maintenance/mnext.html', 'en/index.html', 'en/history.html',
      'en/incidents/inc1.html', 'en/maintenance/mcancel.html', 'api/v2/summary.json', 'history.atom', 'history.rss']) expect(paths).toContain(p);
    expect(new Set(paths).size).toBe(paths.length);
    const en = renderPage(sampleState({ page: { ...sampleState().page, locale: 'en' } })).map((f) => f.path);
    expect(en).toContain('ja/index.html');
    expect(en).not.toContain('en/index.html');
  });

  it('says everything in Japanese on the Japanese page', () => {
    const ja = get(files, 'index.html');
    expect(ja).toContain('<html lang="ja">');
    expect(ja).toContain('一部のシステムで障害が発生しています');
    expect(ja).toContain('<strong>【原因特定】</strong>原因を特定しました。<br>修正を適用しています。');
    expect(ja).toContain('<time datetime="2026-11-23T14:00:00.000+09:00">2026-11-23 14:00 JST</time>');
    expect(ja).toContain('部分的な障害');
    expect(ja).toContain('稼働中');
    expect(ja).toContain('報告された障害はありません。');
    expect(ja).toContain('最終更新: <time datetime="2026-11-23T14:05:00.000+09:00">2026-11-23 14:05 JST</time>');
    expect(ja).toContain('予定されているメンテナンス');
    expect(ja).toContain('<a href="en/index.html" hreflang="en" lang="en">English</a>');
    expect(ja).toContain('<link rel="alternate" hreflang="en" href="en/index.html">');
    expect(ja).toMatch(/title="2026-11-20: 99\.16% — 大規模な障害 12分"/);
    expect(ja).toContain('稼働率 99.98%');
  });

  it('says everything in English on the English page', () => {
    const en = get(files, 'en/index.html');
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Partial System Outage');
    expect(en).toContain('<strong>[Identified]</strong> 原因を特定しました。');
    expect(en).toContain('Partial Outage');
    expect(en).toContain('Operational');
    expect(en).toContain('No incidents reported.');
    expect(en).toContain('Last updated <time datetime="2026-11-23T14:05:00.000+09:00">2026-11-23 14:05 JST</time>');
    expect(en).toMatch(/title="2026-11-20: 99\.16% — major outage 12 min"/);
    expect(en).toContain('<a href="../index.html" hreflang="ja" lang="ja">日本語</a>');
    // Japanese appears only where the page's editors wrote it, never in the interface.
    for (const word of ['稼働中', '障害履歴', '最終更新', 'コンポーネント', '報告された']) expect(en).not.toContain(word);
  });

  it('derives the banner the way Statuspage derives its indicator', () => {
    const quiet = sampleState();
    const calm: PageState = {
      ...quiet, incidents: quiet.incidents.filter((i) => i.phase === 'resolved'),
      maintenances: quiet.maintenances.filter((m) => m.status !== 'in_progress'),
      components: quiet.components.map((c): PublicComponent => ({ ...c, status: 'operational' })),
    };
    expect(get(renderPage(calm), 'index.html')).toContain('すべてのシステムは正常に稼働しています');
    expect(get(renderPage(calm), 'en/index.html')).toContain('All Systems Operational');
    const maint = { ...calm, maintenances: quiet.maintenances };
    expect(get(renderPage(maint), 'en/index.html')).toContain('Service Under Maintenance');
    // An open critical incident makes the page critical even while its components look fine.
    const critical = { ...calm, incidents: [{ ...quiet.incidents[0]!, impact: 'critical' as const }] };
    expect(get(renderPage(critical), 'en/index.html')).toContain('class="banner b-critical">Major Service Outage');
  });

  it('puts every update of an incident on its page, newest first, with impact and affected components', () => {
    const page = get(files, 'en/incidents/inc1.html');
    expect(page).toContain('<h1>API のエラー率上昇</h1>');
    expect(page).toContain('Impact: Major');
    expect(page.indexOf('[Identified]')).toBeLessThan(page.indexOf('[Investigating]'));
    expect(page).toContain('Affected components');
    expect(get(files, 'incidents/inc1.html')).toContain('影響度: 重大');
  });

  it('groups history by month, newest first, and keeps cancelled maintenance marked as such', () => {
    const h = get(files, 'en/history.html');
    expect(h.indexOf('November 2026')).toBeLessThan(h.indexOf('September 2026'));
    expect(h).toContain('href="incidents/old.html"');
    expect(h).toMatch(/Network change<\/a><br><span class="meta">Maintenance · Status: Cancelled/);
    expect(get(files, 'history.html')).toContain('2026年11月');
  });

  it('shows the stale banner only when asked', () => {
    expect(get(files, 'index.html')).not.toContain('class="stale"');
    const stale = renderPage(sampleState(), { staleSince: '2026-11-23T04:50:00.000Z' });
    for (const f of htmlFiles(stale)) expect(f.body).toContain('class="stale"');
    expect(get(stale, 'en/index.html')).toContain(
      'This page could not be refreshed since <time datetime="2026-11-23T13:50:00.000+09:00">2026-11-23 13:50 JST</time>. '
      + 'It shows the status as of <time datetime="2026-11-23T14:05:00.000+09:00">2026-11-23 14:05 JST</time>.',
    );
    expect(get(stale, 'index.html')).toContain('以降、このページを更新できていません');
  });

  it('has no script anywhere and links only to files it wrote', () => {
    const all = renderPage(sampleState({ baseUrl: '' }));
    const paths = new Set(all.map((f) => f.path));
    const action = sampleState().subscribeAction;
    for (const f of htmlFiles(all)) {
      expect(f.body).not.toMatch(/<script/i);
      expect(f.body).not.toMatch(/\son[a-z]+=/i);
      for (const a of attributes(f.body)) {
        if (a.name !== 'href' && a.name !== 'src' && a.name !== 'action') continue;
        if (/^https?:|^mailto:|^data:image\//.test(a.value) || (a.name === 'action' && a.value === action)) continue;
        if (a.value.startsWith('#')) {
          expect(f.body, `${f.path} → ${a.value}`).toContain(`id="${a.value.slice(1)}"`);
          continue;
        }
        const target = new URL(a.value, `http://h/root/${f.path}`);
        expect(target.pathname.startsWith('/root/'), `${f.path} → ${a.value}`).toBe(true);
        expect(paths.has(target.pathname.slice('/root/'.length)), `${f.path} → ${a.value}`).toBe(true);
      }
    }
  });

  it('is accessible in structure: one h1, headings in order, landmarks, status as text', () => {
    for (const f of htmlFiles(files)) {
      const levels = [...f.body.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
      expect(levels.filter((l) => l === 1), f.path).toHaveLength(1);
      expect(levels[0], f.path).toBe(1);
      for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!, `${f.path} heading ${i}`).toBeLessThanOrEqual(1);
      for (const tag of ['<header', '<main', '<footer']) expect(f.body, f.path).toContain(tag);
    }
    const en = get(files, 'en/index.html');
    expect(en).toMatch(/<span class="st s-partial_outage"><span aria-hidden="true">[^<]+<\/span>Partial Outage<\/span>/);
    expect(en).toContain('<img src="https://acme.example/logo.png" alt="Acme">');
  });

  it('uses colours with AA contrast, and the brand colour only where it has enough', () => {
    for (const c of Object.values(STATUS_COLORS)) expect(contrastRatio(c, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio('#57606a', '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(accentColors('#c2410c').text).toBe('#c2410c');
    expect(accentColors('#fde047').text).not.toBe('#fde047');
    expect(accentColors('not a colour; }body{display:none').text).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('posts a subscribe form that works without JavaScript, and leaves it out when subscriptions are off', () => {
    const ja = get(files, 'index.html');
    expect(ja).toContain('<form method="post" action="https://status.acme.example/subscribe"><input type="hidden" name="locale" value="ja">');
    expect(ja).toContain('<input id="subscribe-email" type="email" name="email" required');
    expect(ja).toContain('<input type="checkbox" name="component" value="api"> API');
    expect(get(files, 'en/index.html')).toContain('name="locale" value="en"');
    expect(get(renderPage(sampleState({ subscribeAction: null })), 'index.html')).not.toContain('<form');
    expect(get(renderPage(sampleState({ subscribeAction: 'javascript:alert(1)' })), 'index.html')).not.toContain('<form');
  });

  it('loads a logo only from https or a data: image', () => {
    const logo = (logoUrl: string) => get(renderPage(sampleState({ page: { ...sampleState().page, logoUrl } })), 'index.html');
    expect(logo('javascript:alert(1)')).not.toContain('<img');
    expect(logo('http://acme.example/logo.png')).not.toContain('<img');
    expect(logo('data:text/html;base64,PHNjcmlwdD4=')).not.toContain('<img');
    expect(logo('data:image/png;base64,iVBORw0KGgo=')).toContain('<img src="data:image/png;base64,iVBORw0KGgo="');
  });

  it('keeps a typical page well under 50 kB', () => {
    const base = sampleState();
    const components: PublicComponent[] = Array.from({ length: 8 }, (_, i) => ({
      ...base.components[0]!, id: `c${i}`, name: `Component ${i}`, groupId: null,
      history: [{ status: 'partial_outage', from: `2026-10-${10 + i}T01:00:00.000Z`, to: `2026-10-${10 + i}T02:00:00.000Z` }],
    }));
    const big = renderPage({ ...base, components, groups: [] });
    for (const p of ['index.html', 'en/index.html']) expect(Buffer.byteLength(get(big, p))).toBeLessThan(40_000);
  });
});

describe('renderPage escaping', () => {
  const X = `<script>alert(1)</script>"'><img src=x onerror=alert(1)>&amp;`;
  const base = sampleState();
  const evil: PageState = {
    ...base,
    page: { ...base.page, name: X, description: X, supportUrl: `javascript:alert(1)` },
    components: base.components.map((c) => ({ ...c, id: `${c.id}"${X}`, name: X, description: X, groupId: c.groupId && `${c.groupId}"${X}` })),
    groups: base.groups.map((g) => ({ ...g, id: `${g.id}"${X}`, name: X, description: X, componentIds: g.componentIds.map((id) => `${id}"${X}`) })),
    incidents: base.incidents.map((i) => ({
      ...i, id: `${i.id}${X}`, title: X, updates: i.updates.map((u) => ({ ...u, body: `${X}\n${X}` })),
      components: i.components.map((c) => ({ ...c, id: `${c.id}"${X}` })),
    })),
    maintenances: base.maintenances.map((m) => ({
      ...m, title: X, updates: m.updates.map((u) => ({ ...u, body: X })), componentIds: m.componentIds.map((id) => `${id}"${X}`),
    })),
  };
  const files = renderPage(evil);

  it('escapes every user-supplied text in every HTML file', () => {
    for (const f of htmlFiles(files)) {
      expect(f.body, f.path).not.toMatch(/<script|<img src=x|onerror=alert\(1\)>/i);
      expect(f.body, f.path).not.toContain('javascript:');
      for (const a of attributes(f.body)) expect(a.name, `${f.path} <${a.tag} ${a.name}>`).not.toMatch(/^on/);
    }
    const en = get(files, 'en/index.html');
    expect(en).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;');
    // Line breaks in bodies survive as <br>, the text around them stays escaped.
    expect(en).toContain('&amp;amp;<br>&lt;script&gt;');
    expect(en).toContain('<title>&lt;script&gt;');
  });

  it('keeps links working when ids carry odd characters', () => {
    const paths = new Set(files.map((f) => f.path));
    for (const f of htmlFiles(files)) {
      for (const a of attributes(f.body)) {
        if (a.name !== 'href' || /^(https?:|mailto:|#)/.test(a.value)) continue;
        expect(paths.has(new URL(a.value, `http://h/root/${f.path}`).pathname.slice('/root/'.length)), `${f.path} → ${a.value}`).toBe(true);
      }
    }
  });

  it('keeps JSON and feeds faithful to the text while escaping the feeds', () => {
    const summary = JSON.parse(get(files, 'api/v2/summary.json'));
    expect(summary.page.name).toBe(X);
    expect(summary.incidents[0].incident_updates[0].body).toBe(`${X}\n${X}`);
    const atom = get(files, 'history.atom');
    expect(atom).not.toMatch(/<script|<img/);
    // The entry's HTML is escaped once for HTML and once more for XML.
    expect(atom).toContain('&amp;lt;script&amp;gt;alert(1)');
  });
});

describe('renderPage robustness', () => {
  it('still renders with a broken time zone, language or stored time', () => {
    const base = sampleState();
    const broken: PageState = {
      ...base,
      page: { ...base.page, timeZone: 'Mars/Olympus_Mons', locale: 'xx' as 'en' },
      incidents: base.incidents.map((i) => ({ ...i, createdAt: 'not a time', updates: i.updates.map((u) => ({ ...u, createdAt: '' })) })),
      maintenances: base.maintenances.map((m) => ({ ...m, scheduledFor: 'garbage' })),
    };
    const files = renderPage(broken);
    expect(get(files, 'index.html')).toContain('<html lang="en">');
    expect(get(files, 'index.html')).toContain('UTC');
    expect(get(files, 'ja/index.html')).toContain('<html lang="ja">');
  });
});

describe('renderPage purity', () => {
  it('gives the same bytes for the same state whatever the clock says', () => {
    vi.useFakeTimers();
    try {
      vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
      const a = renderPage(sampleState());
      vi.setSystemTime(new Date('2026-11-23T05:05:00Z'));
      expect(renderPage(sampleState())).toEqual(a);
      expect(get(a, 'index.html')).toContain(BUILT_AT.slice(0, 10));
    } finally {
      vi.useRealTimers();
    }
  });
});
