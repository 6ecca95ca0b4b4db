import { describe, expect, it } from 'vitest';
import type { SnapshotFile } from '../model.js';
import { renderPage } from './index.js';
import { sampleState } from './sample-state.js';

interface XmlElement { name: string; attrs: Record<string, string>; children: XmlElement[]; text: string }

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Entity references decoded; throws on any '&' that does not start a valid reference. */
function decodeText(raw: string): string {
  return raw.replace(/&([^;]*);?/g, (m, ref: string) => {
    if (!m.endsWith(';')) throw new Error(`bare & near "${raw.slice(0, 40)}"`);
    if (ENTITIES[ref] !== undefined) return ENTITIES[ref]!;
    const num = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(ref);
    if (num) return String.fromCodePoint(parseInt(num[1]!.startsWith('x') ? num[1]!.slice(1) : num[1]!, num[1]!.startsWith('x') ? 16 : 10));
    throw new Error(`unknown entity &${ref};`);
  });
}

/**
 * A small, strict well-formedness check: one root, every tag closed in order, attributes quoted and
 * unique, no '<' or bare '&' in text. Enough to catch what a renderer gets wrong; no DTDs or CDATA.
 */
function parseXml(xml: string): XmlElement {
  let i = 0;
  if (!xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')) throw new Error('no XML declaration');
  i = xml.indexOf('?>') + 2;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    if (text.includes('>')) throw new Error(`stray > in text "${text.slice(0, 40)}"`);
    if (stack.length) stack.at(-1)!.text += decodeText(text);
    else if (text.trim()) throw new Error(`text outside the root: "${text.slice(0, 40)}"`);
    if (lt === -1) break;
    const gt = xml.indexOf('>', lt);
    if (gt === -1) throw new Error('unterminated tag');
    const tag = xml.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith('/')) {
      const open = stack.pop();
      if (!open || open.name !== tag.slice(1)) throw new Error(`</${tag.slice(1)}> closes <${open?.name}>`);
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const m = /^([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*="[^"<]*")*)\s*\/?$/.exec(tag);
    if (!m) throw new Error(`malformed tag <${tag.slice(0, 60)}>`);
    const attrs: Record<string, string> = {};
    for (const a of m[2]!.matchAll(/([A-Za-z_][\w:.-]*)="([^"]*)"/g)) {
      if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]}`);
      attrs[a[1]!] = decodeText(a[2]!);
    }
    const el: XmlElement = { name: m[1]!, attrs, children: [], text: '' };
    if (stack.length) stack.at(-1)!.children.push(el);
    else if (root) throw new Error('two roots');
    else root = el;
    if (!selfClosing) stack.push(el);
  }
  if (stack.length || !root) throw new Error(`unclosed <${stack.at(-1)?.name}>`);
  return root;
}

const child = (el: XmlElement, name: string) => el.children.filter((c) => c.name === name);
const get = (files: SnapshotFile[], path: string) => files.find((f) => f.path === path)!.body;

describe('feeds', () => {
  const files = renderPage(sampleState());

  it('checks well-formedness for real (the checker rejects broken XML)', () => {
    expect(() => parseXml('<?xml version="1.0" encoding="UTF-8"?><a><b></a></b>')).toThrow();
    expect(() => parseXml('<?xml version="1.0" encoding="UTF-8"?><a>x & y</a>')).toThrow();
    expect(() => parseXml('<?xml version="1.0" encoding="UTF-8"?><a x=1></a>')).toThrow();
  });

  it('writes a well-formed Atom 1.0 feed with one entry per incident and maintenance', () => {
    const feed = parseXml(get(files, 'history.atom'));
    expect(feed.name).toBe('feed');
    expect(feed.attrs.xmlns).toBe('http://www.w3.org/2005/Atom');
    for (const required of ['id', 'title', 'updated', 'author']) expect(child(feed, required), required).toHaveLength(1);
    const entries = child(feed, 'entry');
    expect(entries).toHaveLength(3 + 4);
    for (const e of entries) {
      for (const required of ['id', 'title', 'updated', 'link', 'content']) expect(child(e, required), required).toHaveLength(1);
      expect(child(e, 'updated')[0]!.text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)$/);
      expect(child(e, 'link')[0]!.attrs.href).toMatch(/^https:\/\/status\.acme\.example\/(incidents|maintenance)\/\w+\.html$/);
    }
    const first = entries[0]!;
    expect(child(first, 'title')[0]!.text).toBe('API のエラー率上昇');
    // The content is HTML (escaped once more for XML): the updates with phase prefix and time.
    const html = child(first, 'content')[0]!.text;
    expect(child(first, 'content')[0]!.attrs.type).toBe('html');
    expect(html).toContain('<strong>【原因特定】</strong>原因を特定しました。<br>修正を適用しています。');
    expect(html).toContain('2026-11-23 14:00 JST');
  });

  it('writes a well-formed RSS 2.0 feed with the same entries', () => {
    const rss = parseXml(get(files, 'history.rss'));
    expect(rss.name).toBe('rss');
    expect(rss.attrs.version).toBe('2.0');
    const channel = child(rss, 'channel')[0]!;
    for (const required of ['title', 'link', 'description']) expect(child(channel, required), required).toHaveLength(1);
    const items = child(channel, 'item');
    expect(items).toHaveLength(7);
    for (const item of items) {
      expect(child(item, 'pubDate')[0]!.text).toMatch(/^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/);
      expect(child(item, 'guid')[0]!.attrs.isPermaLink).toBe('false');
    }
    expect(child(items[0]!, 'description')[0]!.text).toContain('【調査中】');
  });

  it('links relatively when the server has no public URL', () => {
    const rel = renderPage(sampleState({ baseUrl: '' }));
    const paths = new Set(rel.map((f) => f.path));
    const feed = parseXml(get(rel, 'history.atom'));
    for (const e of child(feed, 'entry')) expect(paths.has(child(e, 'link')[0]!.attrs.href!)).toBe(true);
    const channel = child(parseXml(get(rel, 'history.rss')), 'channel')[0]!;
    for (const item of child(channel, 'item')) expect(paths.has(child(item, 'link')[0]!.text)).toBe(true);
  });

  it('stays well formed with hostile text and control characters', () => {
    const base = sampleState();
    const X = `<![CDATA[ ]]> </content><script>&x\u0001\u0008"'`;
    const evil = renderPage({
      ...base,
      page: { ...base.page, name: X, description: X },
      incidents: base.incidents.map((i) => ({ ...i, title: X, updates: i.updates.map((u) => ({ ...u, body: X })) })),
      maintenances: base.maintenances.map((m) => ({ ...m, title: X })),
    });
    const atom = parseXml(get(evil, 'history.atom'));
    expect(child(child(atom, 'entry')[0]!, 'title')[0]!.text).toBe(X.replace(/[\u0001\u0008]/g, ''));
    expect(child(child(atom, 'entry')[0]!, 'content')[0]!.text).not.toContain('<script');
    parseXml(get(evil, 'history.rss'));
  });

  it('keeps only the 50 most recently updated entries', () => {
    const base = sampleState();
    const many = Array.from({ length: 60 }, (_, n) => ({
      ...base.incidents[2]!, id: `i${n}`, updatedAt: new Date(Date.parse('2026-10-01T00:00:00Z') + n * 3_600_000).toISOString(),
    }));
    const feed = parseXml(get(renderPage({ ...base, incidents: many, maintenances: [] }), 'history.atom'));
    const ids = child(feed, 'entry').map((e) => child(e, 'id')[0]!.text);
    expect(ids).toHaveLength(50);
    expect(ids[0]).toBe('urn:hikeshi:statuspage:pg1:incident:i59');
  });
});
