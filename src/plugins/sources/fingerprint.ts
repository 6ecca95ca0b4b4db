// FNV-1a, 64 bit, as in prometheus/common model/fnv.go, computed in four 16-bit limbs: BigInt
// arithmetic cost ~25 µs per label set, which an alert storm pays for every alert.
/** Separates names and values; 0xff never occurs in UTF-8, so `a=bc` and `ab=c` hash differently. */
const SEPARATOR = 0xff;

function byBytes(a: string, b: string): number {
  // Go sorts label names by their UTF-8 bytes; JS sorts by UTF-16 units, which differ past U+FFFF.
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** FNV-1a 64 state as limbs, lowest first; the offset basis is 0xcbf29ce484222325. */
class Fnv64 {
  private h0 = 0x2325;
  private h1 = 0x8422;
  private h2 = 0x9ce4;
  private h3 = 0xcbf2;

  /** Feeds one byte: xor, then multiply by the prime 0x100000001b3 (= 0x1b3 + 2^40) mod 2^64. */
  byte(b: number): void {
    const x0 = this.h0 ^ b;
    let t0 = x0 * 0x1b3;
    let t1 = this.h1 * 0x1b3;
    let t2 = this.h2 * 0x1b3 + (x0 << 8);
    let t3 = this.h3 * 0x1b3 + (this.h1 << 8);
    t1 += t0 >>> 16;
    t0 &= 0xffff;
    t2 += t1 >>> 16;
    t1 &= 0xffff;
    t3 += t2 >>> 16;
    t2 &= 0xffff;
    this.h0 = t0;
    this.h1 = t1;
    this.h2 = t2;
    this.h3 = t3 & 0xffff;
  }

  /** Feeds a string as UTF-8 (ASCII, the common case, without allocating). */
  text(s: string): void {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        const buf = Buffer.from(s.slice(i), 'utf8');
        for (let j = 0; j < buf.length; j++) this.byte(buf[j]!);
        return;
      }
      this.byte(c);
    }
  }

  hex(): string {
    return [this.h3, this.h2, this.h1, this.h0].map((h) => h.toString(16).padStart(4, '0')).join('');
  }
}

/**
 * The label set's fingerprint exactly as Alertmanager computes it (prometheus/common
 * `LabelSet.Fingerprint`: names sorted, each `name 0xff value 0xff` fed to FNV-1a 64), as the
 * 16 lower-case hex digits Alertmanager shows in its API and webhook `fingerprint` field.
 */
export function labelsFingerprint(labels: Record<string, string>): string {
  const h = new Fnv64();
  const names = Object.keys(labels);
  // For ASCII names (every valid Prometheus label name) UTF-16 order is byte order.
  names.sort(names.every((n) => /^[\x00-\x7f]*$/.test(n)) ? undefined : byBytes);
  for (const name of names) {
    h.text(name);
    h.byte(SEPARATOR);
    h.text(labels[name]!);
    h.byte(SEPARATOR);
  }
  return h.hex();
}
