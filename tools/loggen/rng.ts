/**
 * Small seeded PRNG (mulberry32). Every random choice of the generator goes through an {@link Rng}
 * so that the same seed always yields the same bytes.
 */
const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export class Rng {
  private s: number;

  /** @param seed any integer; equal seeds give equal sequences. */
  constructor(seed: number) {
    this.s = (seed ^ 0x9e3779b9) >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(arr: readonly T[]): T {
    return arr[Math.floor(this.next() * arr.length)] as T;
  }

  /** Index chosen by weights (need not sum to 1). */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] as number;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** n lowercase hex digits. */
  hex(n: number): string {
    let out = '';
    while (out.length < n) {
      const v = (this.next() * 4294967296) >>> 0;
      out += HEX2[v & 255]! + HEX2[(v >>> 8) & 255]! + HEX2[(v >>> 16) & 255]! + HEX2[v >>> 24]!;
    }
    return out.length === n ? out : out.slice(0, n);
  }

  /** n characters of [a-z0-9] (Kubernetes name suffixes). */
  alnum(n: number): string {
    const a = 'bcdfghjklmnpqrstvwxz2456789';
    let out = '';
    for (let i = 0; i < n; i++) out += a[Math.floor(this.next() * a.length)];
    return out;
  }

  /** A random RFC 4122 v4-looking UUID. */
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[this.int(0, 3)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** A child generator with an independent stream, derived from this one and a label. */
  fork(label: string): Rng {
    let h = 2166136261;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 16777619);
    return new Rng((h ^ Math.floor(this.next() * 4294967296)) >>> 0);
  }
}
