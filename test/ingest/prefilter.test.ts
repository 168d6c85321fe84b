import { describe, expect, it } from 'vitest';
import { LiteralScanner } from '../../src/ingest/prefilter.js';
import { loadRules } from '../../src/rules/loader.js';
import { Classifier } from '../../src/rules/signatures.js';
import { Rng } from '../../tools/loggen/rng.js';

/** Deterministic PRNG (the generator's mulberry32): the same cases on every run. */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

/**
 * The reference: the smallest start over all literals of an occurrence wholly inside [from, end),
 * from every occurrence of every literal (found by indexOf, overlapping ones included).
 */
function reference(lits: string[], buf: Buffer): (from: number, end: number) => number {
  const occ = lits
    .filter((l) => l.length > 0)
    .map((l) => {
      const b = Buffer.from(l, 'utf8');
      const at: number[] = [];
      for (let p = buf.indexOf(b); p >= 0; p = buf.indexOf(b, p + 1)) at.push(p);
      return { n: b.length, at };
    });
  return (from, end) => {
    let best = -1;
    for (const { n, at } of occ) {
      // The first occurrence from `from` is the only candidate: a later one ends later still.
      let lo = 0;
      let hi = at.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (at[mid] < from) lo = mid + 1;
        else hi = mid;
      }
      const p = lo < at.length ? at[lo] : -1;
      if (p >= 0 && p + n <= end && (best < 0 || p < best)) best = p;
    }
    return best;
  };
}

/** Every hit of the scanner over [from, end) (stepping one byte past each), checked against the reference. */
function compare(sc: LiteralScanner, lits: string[], buf: Buffer, from: number, end: number, ref = reference(lits, buf)): number {
  const bytes = lits.filter((l) => l.length > 0).map((l) => Buffer.from(l, 'utf8'));
  let p = from;
  let hits = 0;
  for (;;) {
    const want = ref(p, end);
    const got = sc.next(buf, p, end);
    if (got !== want) {
      const shown = buf.length > 400 ? `${buf.length} bytes` : JSON.stringify(buf.toString('latin1'));
      throw new Error(`literals ${JSON.stringify(lits)} buf ${shown} from ${p} end ${end}: got ${got}, want ${want}`);
    }
    if (got < 0) return hits;
    // matchLength is the length of a literal that starts there (any one when several do).
    const n = sc.matchLength;
    if (!bytes.some((l) => l.length === n && buf.subarray(got, got + n).equals(l))) {
      throw new Error(`matchLength ${n} at ${got} is no literal's there (${JSON.stringify(lits)})`);
    }
    hits++;
    p = got + 1;
  }
}

const LINES = [
  'May 28 00:00:00 k8s03 microk8s.daemon-kubelite[4072]: I0528 00:00:00.007583    4072 log.go:245] http: TLS handshake error from 10.0.10.19:33684: EOF',
  'May 28 00:00:01 k8s02 microk8s.daemon-k8s-dqlite[2815]: time="2026-05-28T00:00:01Z" level=info msg="Kine listening on unix://kine.sock:12379"',
  'May 28 00:00:02 k8s01 kernel: [ 4577.035734] sd 2:0:0:0: rejecting I/O to offline device',
  'May 28 00:00:03 k8s01 kernel: [ 4577.043180] blk_update_request: I/O error, dev sdb, sector 123',
  'May 28 00:00:04 k8s02 kernel: [ 4578.000001] EXT4-fs error (device sdb1): Aborting journal on device sdb1-8.',
  'May 28 00:00:05 k8s02 kernel: [ 4578.000002] EXT4-fs (sdb1): Remounting filesystem read-only',
  'May 28 00:00:06 k8s03 microk8s.daemon-kubelite[4072]: E0528 00:00:06.1 pod_workers.go:1301] "Error syncing pod" err="failed to \\"StartContainer\\" with CrashLoopBackOff: \\"Back-off restarting failed container\\""',
  'May 28 00:00:07 k8s03 microk8s.daemon-kubelite[4072]: goroutine 1 [running]:',
  'May 28 00:00:08 k8s01 kernel: [ 1.0] Linux version 5.15.0-91-generic (buildd@lcy02-amd64-045)',
  'May 28 00:00:09 k8s01 kernel: [ 9.9] eth0: Link is Up - 1Gbps/Full',
  'May 28 00:00:10 k8s01 iscsid: connection1:0: detected conn error (1020); session recovery timed out after 120 secs',
  'May 28 00:00:11 k8s02 java[99]: java.net.UnknownHostException: élan.example: Name or service not known',
  '',
];

async function realLiterals(): Promise<string[]> {
  const lits = new Classifier(await loadRules([], { builtin: true })).prefilterLiterals(['kube-objects', 'metrics']);
  expect(lits).not.toBeNull();
  return [...lits!, 'goroutine '];
}

describe('LiteralScanner', () => {
  it('needs a non-empty literal', () => {
    expect(() => new LiteralScanner([])).toThrow();
    expect(() => new LiteralScanner(['', ''])).toThrow();
    expect(new LiteralScanner(['', 'ab']).next(Buffer.from('xxab'), 0, 4)).toBe(2);
  });

  it('finds the built-in literals in log lines like the naive search', async () => {
    const base = await realLiterals();
    const sets = [
      base,
      [...base, 'kernel: ['],
      [...base.filter((l) => l !== 'daemon-k8s-dqlite'), 'daemon-k8s-dqlite.', 'daemon-k8s-dqlite:'],
      [...base, 'Node '],
      [...new Set([...base.map((l) => JSON.stringify(l).slice(1, -1)), 'goroutine ', '"MESSAGE":['])],
    ];
    const r = rng(7);
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) lines.push(LINES[Math.floor(r() * LINES.length)]);
    const text = Buffer.from(lines.join('\n'), 'utf8');
    const json = Buffer.from(lines.map((l) => JSON.stringify({ MESSAGE: l })).join('\n'), 'utf8');
    for (const lits of sets) {
      // A fresh scanner tunes its windows on the first large range; the second pass uses them.
      const sc = new LiteralScanner(lits);
      for (const buf of [text, json, text]) {
        const ref = reference(lits, buf);
        expect(compare(sc, lits, buf, 0, buf.length, ref)).toBeGreaterThan(0);
        for (let i = 0; i < 20; i++) {
          const from = Math.floor(r() * buf.length);
          const end = from + Math.floor(r() * (buf.length - from + 1));
          compare(sc, lits, buf, from, end, ref);
        }
      }
      // Small ranges before any tuning.
      const fresh = new LiteralScanner(lits);
      for (const line of LINES) compare(fresh, lits, Buffer.from(line), 0, Buffer.byteLength(line));
    }
  });

  it('respects the chunk edges', () => {
    const lits = ['kine.sock', 'daemon-k8s-dqlite', 'goroutine '];
    const sc = new LiteralScanner(lits);
    const buf = Buffer.from('kine.sock and daemon-k8s-dqlite then goroutine ');
    expect(sc.next(buf, 0, buf.length)).toBe(0);
    expect(sc.matchLength).toBe(9);
    expect(sc.next(buf, 1, buf.length)).toBe(14);
    expect(sc.matchLength).toBe(17);
    // The last literal ends exactly at `end`; one byte less and it crosses it.
    expect(sc.next(buf, 15, buf.length)).toBe(buf.length - 10);
    expect(sc.matchLength).toBe(10);
    expect(sc.next(buf, 15, buf.length - 1)).toBe(-1);
    expect(sc.next(buf, 14, 14 + 17)).toBe(14);
    expect(sc.next(buf, 14, 14 + 16)).toBe(-1);
    // A literal starting before `from` is not found.
    expect(sc.next(buf, 15, 14 + 17)).toBe(-1);
    expect(sc.next(buf, buf.length, buf.length)).toBe(-1);
    expect(sc.next(buf, 5, 3)).toBe(-1);
  });

  it('returns the leftmost start across literals of different lengths', () => {
    // The longer literal starts first but its window may end after the shorter one's.
    const lits = ['xxabcdefghijklmnopqrstuvwxyz', 'klmnopqrs', 'zzzzzzzzz'];
    const sc = new LiteralScanner(lits);
    // Tune on text where the long literal's prefix is common: its window moves to its tail.
    const tuneText = Buffer.from('xxabcdefg '.repeat(5000) + 'zzzzzzzzz');
    compare(sc, lits, tuneText, 0, tuneText.length);
    const buf = Buffer.from('..xxabcdefghijklmnopqrstuvwxyz..');
    expect(sc.next(buf, 0, buf.length)).toBe(2);
    expect(sc.matchLength).toBe(28);
    expect(sc.next(buf, 3, buf.length)).toBe(14);
    expect(sc.matchLength).toBe(9);
    compare(sc, lits, buf, 0, buf.length);
  });

  it('returns the earlier of two literals whose windows end at the same byte', () => {
    // 'Xabcdefghij' tuned to its last 10 bytes (its first 10 end in 'ghi', common below): the same
    // window as 'abcdefghij', one byte later in the literal.
    const lits = ['abcdefghij', 'Xabcdefghij'];
    const sc = new LiteralScanner(lits);
    const tuneText = Buffer.from('xghi '.repeat(5000));
    expect(sc.next(tuneText, 0, tuneText.length)).toBe(-1);
    const buf = Buffer.from('..Xabcdefghij..abcdefghij');
    expect(sc.next(buf, 0, buf.length)).toBe(2);
    expect(sc.matchLength).toBe(11);
    expect(sc.next(buf, 3, buf.length)).toBe(3);
    expect(sc.matchLength).toBe(10);
    compare(sc, lits, buf, 0, buf.length);
  });

  it('matches UTF-8 literals byte-wise', () => {
    const lits = ['élan', 'naïve café', '日本語のログ'];
    const sc = new LiteralScanner(lits);
    const buf = Buffer.from('x élan y naïve café z 日本語のログ', 'utf8');
    expect(compare(sc, lits, buf, 0, buf.length)).toBe(3);
  });

  it('agrees with the naive search on random literal sets and buffers', () => {
    const r = rng(12345);
    const alphabets = ['ab', 'abc', 'abcd ', 'abcdefgh\n', 'aé日 ', 'ab\u0000\u00ff'];
    const pick = (s: string): string => {
      const cs = [...s];
      return cs[Math.floor(r() * cs.length)];
    };
    const word = (alpha: string, n: number): string => {
      let w = '';
      for (let i = 0; i < n; i++) w += pick(alpha);
      return w;
    };
    let hits = 0;
    for (let t = 0; t < 400; t++) {
      const alpha = alphabets[t % alphabets.length];
      // Shortest literal from 1 up: every path of the scanner (indexOf, pairs, lanes).
      const minLen = 1 + Math.floor(r() * 12);
      const lits: string[] = [];
      const count = 1 + Math.floor(r() * 8);
      for (let i = 0; i < count; i++) lits.push(word(alpha, minLen + Math.floor(r() * (40 - minLen + 1))));
      // Prefixes, suffixes and inner pieces of other literals: overlapping candidates.
      for (let i = 0; i < 3; i++) {
        const l = lits[Math.floor(r() * lits.length)];
        const a = Math.floor(r() * l.length);
        const b = a + 1 + Math.floor(r() * (l.length - a));
        if (b - a >= minLen) lits.push(l.slice(a, b));
      }
      lits.push(word(alpha, minLen));
      const sc = new LiteralScanner(lits);
      // Large buffers (lanes, tuning) and small ones, with literals planted into random text.
      const size = t % 5 === 0 ? 20000 + Math.floor(r() * 40000) : Math.floor(r() * 3000);
      let text = '';
      while (Buffer.byteLength(text) < size) {
        text += r() < 0.1 ? lits[Math.floor(r() * lits.length)] : word(alpha, 1 + Math.floor(r() * 30));
      }
      const buf = Buffer.from(text, 'utf8');
      const ref = reference(lits, buf);
      hits += compare(sc, lits, buf, 0, buf.length, ref);
      for (let i = 0; i < 5; i++) {
        const from = Math.floor(r() * (buf.length + 1));
        const end = from + Math.floor(r() * (buf.length - from + 1));
        hits += compare(sc, lits, buf, from, end, ref);
      }
      // A sub-buffer (byteOffset > 0), as chunks of a pooled read are.
      const sub = buf.subarray(Math.floor(buf.length / 3));
      hits += compare(sc, lits, sub, 0, sub.length);
    }
    expect(hits).toBeGreaterThan(1000);
  });
});
