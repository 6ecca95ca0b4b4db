import { at, isObject } from '../input.js';

/** One step of a path: an object key or an array index. */
export type Segment = string | number;

// Grammar (no eval, no filters, no wildcards):
//   path    := "$" | ["$."] first rest*
//   first   := name | index | quoted
//   rest    := "." name | index | quoted
//   name    := one or more characters other than . [ ] " and whitespace
//   index   := "[" digits "]"
//   quoted  := "[" JSON string "]"            e.g. ["detail-type"] or ["a.b"]
const NAME = /^[^.[\]"\s]+/;
const INDEX = /^\[(\d{1,6})\]/;
const QUOTED = /^\[("(?:[^"\\]|\\.)*")\]/;

/** Parses `a.b[0].c`, `$` (the whole document), `["odd.key"]`; throws an Error saying what is wrong. */
export function parsePath(source: string): Segment[] {
  let rest = source.trim();
  if (rest === '$') return [];
  if (rest.startsWith('$.')) rest = rest.slice(2);
  else if (rest.startsWith('$[')) rest = rest.slice(1);
  const segments: Segment[] = [];
  let first = true;
  while (rest.length > 0) {
    let m: RegExpExecArray | null;
    if ((m = INDEX.exec(rest))) segments.push(Number(m[1]));
    else if ((m = QUOTED.exec(rest))) segments.push(JSON.parse(m[1]!) as string);
    else {
      if (!first) {
        if (rest[0] !== '.') throw new Error(`expected "." or "[" at ${JSON.stringify(rest.slice(0, 20))}`);
        rest = rest.slice(1);
      }
      m = NAME.exec(rest);
      if (!m) throw new Error(`expected a name at ${JSON.stringify(rest.slice(0, 20))}`);
      segments.push(m[0]);
    }
    rest = rest.slice(m[0].length);
    first = false;
  }
  if (segments.length === 0) throw new Error('is empty (use $ for the whole document)');
  return segments;
}

/** True when `source` parses. */
export function isValidPath(source: string): boolean {
  try {
    parsePath(source);
    return true;
  } catch {
    return false;
  }
}

/** The value at `path` under `root`, or undefined when any step is missing. */
export function getPath(root: unknown, path: Segment[]): unknown {
  let value = root;
  for (const seg of path) {
    if (typeof seg === 'number' ? !Array.isArray(value) : !isObject(value)) return undefined;
    // Own properties only: a path must not reach Object.prototype (`constructor`, `__proto__`).
    if (!Object.prototype.hasOwnProperty.call(value, seg)) return undefined;
    value = (value as Record<string | number, unknown>)[seg];
  }
  return value;
}

/** Sets `value` at `path` under `root`, creating objects and arrays on the way (for sample payloads). */
export function setPath(root: Record<string, unknown>, path: Segment[], value: unknown): void {
  // defineProperty, not assignment: a key named __proto__ must become a key, not a prototype.
  const put = (node: object, seg: Segment, v: unknown): void => {
    Object.defineProperty(node, seg, { value: v, enumerable: true, writable: true, configurable: true });
  };
  let node: Record<string | number, unknown> = root;
  path.forEach((seg, i) => {
    if (i === path.length - 1) return put(node, seg, value);
    const existing = Object.prototype.hasOwnProperty.call(node, seg) ? node[seg] : undefined;
    if (typeof existing !== 'object' || existing === null) put(node, seg, typeof path[i + 1] === 'number' ? [] : {});
    node = node[seg] as Record<string | number, unknown>;
  });
}

/** A path written back in the same syntax, under `base` (a field name for error messages). */
export function formatPath(path: Segment[], base = ''): string {
  return path.reduce<string>((acc, seg) => at(acc, seg), base) || '$';
}
