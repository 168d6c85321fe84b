/**
 * Multi-literal search over raw bytes (Wu-Manber with 2-byte blocks), run on whole chunks before
 * any string is built. Measured on generated syslog with the built-in pack's 23 literals: about
 * 1.1-1.4 GB/s, against 0.1-0.2 GB/s for one `Buffer.indexOf` pass per literal.
 */
export class LiteralScanner {
  /** Literals, as given. */
  readonly literals: readonly string[];
  /** Length of the literal found by the last {@link next} call. */
  matchLength = 0;
  private readonly bytes: Buffer[];
  private readonly m: number;
  private readonly shift: Uint8Array;
  private readonly byHash: Array<Buffer[] | undefined>;

  constructor(literals: readonly string[]) {
    this.literals = [...literals];
    this.bytes = literals.map((l) => Buffer.from(l, 'utf8')).filter((b) => b.length > 0);
    if (this.bytes.length === 0) throw new Error('LiteralScanner needs at least one non-empty literal');
    this.m = Math.min(255, ...this.bytes.map((b) => b.length));
    const m = this.m;
    this.shift = new Uint8Array(65536).fill(Math.max(1, m - 1));
    this.byHash = new Array(65536);
    if (m < 2) return; // single-byte literals: next() falls back to indexOf
    for (const b of this.bytes) {
      for (let q = 2; q <= m; q++) {
        const h = (b[q - 2] << 8) | b[q - 1];
        const s = m - q;
        if (s < this.shift[h]) this.shift[h] = s;
      }
      const h = (b[m - 2] << 8) | b[m - 1];
      (this.byHash[h] ??= []).push(b);
    }
  }

  /**
   * Start of the first occurrence of any literal in `buf[from, end)` (the whole literal inside the
   * range), or -1. {@link matchLength} tells which length matched.
   */
  next(buf: Buffer, from: number, end: number): number {
    const m = this.m;
    if (m < 2) return this.nextSlow(buf, from, end);
    const shift = this.shift;
    let p = from + m - 1;
    while (p < end) {
      const s = shift[(buf[p - 1] << 8) | buf[p]];
      if (s !== 0) {
        p += s;
        continue;
      }
      const st = p - m + 1;
      const cands = this.byHash[(buf[p - 1] << 8) | buf[p]]!;
      for (let i = 0; i < cands.length; i++) {
        const l = cands[i];
        const n = l.length;
        if (st + n > end) continue;
        let k = 0;
        while (k < n && buf[st + k] === l[k]) k++;
        if (k === n) {
          this.matchLength = n;
          return st;
        }
      }
      p++;
    }
    return -1;
  }

  private nextSlow(buf: Buffer, from: number, end: number): number {
    let best = -1;
    for (const l of this.bytes) {
      const p = buf.indexOf(l, from);
      if (p !== -1 && p + l.length <= end && (best === -1 || p < best)) {
        best = p;
        this.matchLength = l.length;
      }
    }
    return best;
  }
}
