// FNV-1a, 64 bit, as in prometheus/common model/fnv.go.
const OFFSET64 = 0xcbf29ce484222325n;
const PRIME64 = 0x100000001b3n;
const MASK64 = 0xffffffffffffffffn;
/** Separates names and values; 0xff never occurs in UTF-8, so `a=bc` and `ab=c` hash differently. */
const SEPARATOR = 0xff;

function byBytes(a: string, b: string): number {
  // Go sorts label names by their UTF-8 bytes; JS sorts by UTF-16 units, which differ past U+FFFF.
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * The label set's fingerprint exactly as Alertmanager computes it (prometheus/common
 * `LabelSet.Fingerprint`: names sorted, each `name 0xff value 0xff` fed to FNV-1a 64), as the
 * 16 lower-case hex digits Alertmanager shows in its API and webhook `fingerprint` field.
 */
export function labelsFingerprint(labels: Record<string, string>): string {
  let hash = OFFSET64;
  const add = (bytes: Iterable<number>): void => {
    for (const b of bytes) hash = ((hash ^ BigInt(b)) * PRIME64) & MASK64;
  };
  for (const name of Object.keys(labels).sort(byBytes)) {
    add(Buffer.from(name, 'utf8'));
    add([SEPARATOR]);
    add(Buffer.from(labels[name]!, 'utf8'));
    add([SEPARATOR]);
  }
  return hash.toString(16).padStart(16, '0');
}
