const NUL = '\u0000';

/**
 * True when a string or key anywhere under `value` contains U+0000. A quick walk that builds no
 * paths: request bodies almost never carry NUL, so the walk that names where one is (for the 400)
 * runs only after this one found it.
 */
export function containsNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes(NUL)) return true;
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push(v[i]);
    } else if (v !== null && typeof v === 'object') {
      for (const k in v) {
        if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
        if (k.includes(NUL)) return true;
        stack.push((v as Record<string, unknown>)[k]);
      }
    }
  }
  return false;
}
