import { describe, expect, it } from 'vitest';
import { BootRuns, joinBootRuns, type BootRun } from '../../src/time/boot-anchors.js';
import { Rng } from '../../tools/loggen/rng.js';

type Anchor = [host: string, wall: number, mono: number, precision: number];

/** Kernel lines of two hosts: boots, a wall clock step, and a reboot backlog logged in one second. */
function anchors(rng: Rng): Anchor[] {
  const out: Anchor[] = [];
  const boot = { a: 1_780_000_000e6, b: 1_780_000_500e6 };
  const mono = { a: 3600, b: 10 };
  let step = 0;
  for (let i = 0; i < 400; i++) {
    const h = rng.chance(0.7) ? 'a' : 'b';
    mono[h] += rng.int(1, 3000) / 1000;
    if (rng.chance(0.01)) {
      // A reboot: the monotonic clock starts again, later.
      boot[h] += mono[h] * 1e6 + 60e6;
      mono[h] = rng.int(0, 5000) / 1000;
      if (rng.chance(0.5)) {
        // rsyslog logs the ring buffer it finds at start-up with its own (later) wall time.
        const wall = Math.floor((boot[h] + 25e6) / 1e6) * 1e6;
        for (let k = 0; k < 20; k++) out.push([h, wall, mono[h] + k, 1e6]);
        mono[h] += 20;
      }
    }
    if (rng.chance(0.005)) step += rng.int(-120, 120) * 1e6;
    const wall = Math.floor((boot[h] + mono[h] * 1e6 + step) / 1e6) * 1e6;
    out.push([h, wall, mono[h], 1e6]);
  }
  return out;
}

const runsOf = (xs: readonly Anchor[]): BootRun[] => {
  const r = new BootRuns();
  for (const [h, w, m, p] of xs) r.observe(h, w, m, p);
  return r.runs;
};
const plain = (rs: readonly BootRun[]): unknown[] => rs.map(({ host, boot, monoMin, monoMax, samples }) => ({ host, boot, monoMin, monoMax, samples }));

describe('boot runs of byte ranges joined = one pass over the lines', () => {
  it('on seeded sequences cut at random places, or says the join could differ', () => {
    let joined = 0;
    let diverged = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const rng = new Rng(seed);
      const xs = anchors(rng);
      const whole = runsOf(xs);
      const cuts = [0, ...Array.from({ length: rng.int(1, 5) }, () => rng.int(1, xs.length - 1)).sort((a, b) => a - b), xs.length];
      const out: BootRun[] = [];
      const open = new Map<string, BootRun>();
      let result: 'joined' | 'diverges' = 'joined';
      for (let k = 0; k + 1 < cuts.length; k++) if (joinBootRuns(out, open, runsOf(xs.slice(cuts[k], cuts[k + 1]))) === 'diverges') result = 'diverges';
      if (result === 'joined') {
        joined++;
        expect(plain(out), `seed ${seed}`).toEqual(plain(whole));
      } else diverged++;
    }
    // Both cases are exercised; divergence (a cut inside a reboot backlog) stays rare.
    expect(joined).toBeGreaterThan(200);
    expect(diverged).toBeGreaterThan(0);
  });

  it('keeps one record per boot, however many lines', () => {
    const r = new BootRuns();
    for (let i = 0; i < 100_000; i++) r.observe('a', Math.floor((1_780_000_000 + 3600 + i * 0.25) ) * 1e6, 3600 + i * 0.25, 1e6);
    expect(r.runs).toHaveLength(1);
    expect(r.runs[0].samples).toBe(100_000);
    expect(r.runs[0].boot).toBe(1_780_000_000e6);
  });
});
