import { containsNul } from '../../shared/nul.js';
import { SourceInputError } from '../source.js';

/** A parsed JSON object (not an array, not null). */
export type Json = Record<string, unknown>;

/** True for a JSON object (arrays and null are not). */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// The same syntax the generic webhook's mapping paths use, so a field named in an error can be
// pasted into a mapping: plain names joined by dots, `[n]` for indexes, `["…"]` for odd names.
const PLAIN_NAME = /^[^.[\]"\s]+$/;

/** `base.key`, `base[3]`, or `base["odd.key"]`; a bare `key` / `[3]` at the root (`base` = ''). */
export function at(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (!PLAIN_NAME.test(key)) return `${base}[${JSON.stringify(key)}]`;
  return base ? `${base}.${key}` : key;
}

/** A 400 naming `field`. */
export function invalid(field: string, problem: string): SourceInputError {
  return new SourceInputError(field || 'body', problem);
}

const NUL = '\u0000';

/**
 * Refuses U+0000 anywhere in a parsed body, naming where. PostgreSQL cannot store it in text or
 * jsonb (and `raw` keeps the request), so both databases get the same 400 instead of one a 500.
 * Walks iteratively: a 512 KB body can nest deeper than the call stack.
 */
export function refuseNul(body: unknown, base = ''): void {
  if (!containsNul(body)) return;
  const stack: [unknown, string][] = [[body, base]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes(NUL)) throw invalid(path, 'must not contain the NUL character (U+0000)');
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push([v, at(path, i)]));
    } else if (isObject(value)) {
      for (const [k, v] of Object.entries(value)) {
        if (k.includes(NUL)) throw invalid(at(path, k.replaceAll(NUL, '\\0')), 'must not contain the NUL character (U+0000)');
        stack.push([v, at(path, k)]);
      }
    }
  }
}

/** `record[key]` if it is the record's own entry: a sender's "constructor" must not find Object.prototype's. */
export function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** The JSON type of a value, for error messages. */
export function typeName(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A required string (may be empty unless `nonEmpty`). */
export function needString(value: unknown, field: string, opts: { nonEmpty?: boolean; max?: number } = {}): string {
  if (value === undefined || value === null) throw invalid(field, 'is required');
  if (typeof value !== 'string') throw invalid(field, `must be a string, not ${typeName(value)}`);
  if (opts.nonEmpty && value.trim() === '') throw invalid(field, 'must not be empty');
  if (opts.max !== undefined && value.length > opts.max) throw invalid(field, `must be at most ${opts.max} characters`);
  return value;
}

/** An optional string: undefined when absent, null or (with `emptyIsAbsent`) empty. */
export function optString(value: unknown, field: string, opts: { max?: number; emptyIsAbsent?: boolean } = {}): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(field, `must be a string, not ${typeName(value)}`);
  if (opts.emptyIsAbsent && value === '') return undefined;
  if (opts.max !== undefined && value.length > opts.max) throw invalid(field, `must be at most ${opts.max} characters`);
  return value;
}

/** A required array with at most `max` items. */
export function needArray(value: unknown, field: string, max?: number): unknown[] {
  if (value === undefined) throw invalid(field, 'is missing (it must be an array)');
  if (!Array.isArray(value)) throw invalid(field, `must be an array, not ${typeName(value)}`);
  if (max !== undefined && value.length > max) throw invalid(field, `must have at most ${max} items (got ${value.length})`);
  return value;
}

/** A required JSON object. */
export function needObject(value: unknown, field: string): Json {
  if (value === undefined) throw invalid(field, 'is missing (it must be an object)');
  if (!isObject(value)) throw invalid(field, `must be an object, not ${typeName(value)}`);
  return value;
}
