import type { LogEvent } from '../model/event.js';
import { pushTo } from '../util/multimap.js';

/** One boot of one host as seen in lines that carry both wall time and kernel monotonic time. */
export interface BootSegment {
  host: string;
  /** Wall time (UTC µs) at monotonic 0: the boot instant. */
  boot: number;
  monoMin: number;
  monoMax: number;
  samples: number;
}

/**
 * A {@link BootSegment} as one input (or one byte range of it) saw it, with the estimate and stamp of
 * its first line, so that the segments of consecutive inputs or ranges can be joined as if all their
 * lines had been seen in one pass (see {@link joinBootRuns}).
 */
export interface BootRun extends BootSegment {
  firstBoot: number;
  firstMono: number;
  firstPrecision: number;
  /** Lowest `boot + precision` of its lines: how far below the estimate a line of it went. */
  lowBoot: number;
}

/**
 * Whether a line whose clocks give `boot` (wall minus monotonic, µs) at monotonic `mono` s starts a
 * new segment after `cur`: a monotonic clock that goes back is a reboot; a wall/mono relation that
 * moves by more than precision + 2s is a wall clock step.
 */
function startsSegment(cur: BootSegment | undefined, boot: number, mono: number, precision: number): boolean {
  return !cur || mono < cur.monoMax - 1 || Math.abs(boot - cur.boot) > precision + 2_000_000;
}

/**
 * Boot segments of one input from its lines stamped with both clocks (kern.log's `[ 1234.5]` after a
 * syslog header). Memory is one record per segment, not per line.
 *
 * Syslog's wall time is floored to the second, so each line gives `boot <= wall - mono < boot + 1s`
 * in µs terms; the maximum over a boot converges on the true boot instant from below.
 */
export class BootRuns {
  readonly runs: BootRun[] = [];
  private readonly open = new Map<string, BootRun>();

  observe(host: string, wall: number, mono: number, precision: number): void {
    const boot = wall - Math.round(mono * 1_000_000);
    const cur = this.open.get(host);
    if (startsSegment(cur, boot, mono, precision)) {
      const run: BootRun = { host, boot, monoMin: mono, monoMax: mono, samples: 1, firstBoot: boot, firstMono: mono, firstPrecision: precision, lowBoot: boot + precision };
      this.runs.push(run);
      this.open.set(host, run);
      return;
    }
    cur!.boot = Math.max(cur!.boot, boot);
    cur!.monoMax = Math.max(cur!.monoMax, mono);
    cur!.monoMin = Math.min(cur!.monoMin, mono);
    cur!.samples++;
    cur!.lowBoot = Math.min(cur!.lowBoot, boot + precision);
  }
}

/**
 * Adds the runs of one input or byte range, seen after the segments in `out` (`open`: the last
 * segment of each host there), as one pass over all their lines would have.
 *
 * A host's first run whose first line extends the open segment is merged into it. One pass judged its
 * later lines against larger maxima (the open segment's estimate and monotonic end); the merge is
 * exact when none of them would then have started a segment (every line within precision + 2s below
 * the open estimate, none before its monotonic end), and when the host's next run still starts one.
 * Otherwise `'diverges'` is returned and the run is kept as a segment of its own.
 */
export function joinBootRuns(out: BootRun[], open: Map<string, BootRun>, runs: readonly BootRun[]): 'joined' | 'diverges' {
  const seen = new Set<string>();
  /** Hosts whose first run was merged: their next run must still start a segment. */
  const merged = new Set<string>();
  let result: 'joined' | 'diverges' = 'joined';
  for (const run of runs) {
    const cur = open.get(run.host);
    const first = !seen.has(run.host);
    seen.add(run.host);
    const extends_ = cur !== undefined && !startsSegment(cur, run.firstBoot, run.firstMono, run.firstPrecision);
    if (merged.has(run.host)) {
      merged.delete(run.host);
      if (extends_) result = 'diverges';
    } else if (first && extends_) {
      if (run.lowBoot + 2_000_000 >= cur.boot && run.monoMin >= cur.monoMax - 1) {
        cur.boot = Math.max(cur.boot, run.boot);
        cur.monoMax = Math.max(cur.monoMax, run.monoMax);
        cur.monoMin = Math.min(cur.monoMin, run.monoMin);
        cur.samples += run.samples;
        cur.lowBoot = Math.min(cur.lowBoot, run.lowBoot);
        merged.add(run.host);
        continue;
      }
      result = 'diverges';
    }
    out.push({ ...run });
    open.set(run.host, out[out.length - 1]);
  }
  return result;
}

/**
 * Boot instants of every host, from the boot runs of each input in order (joined across inputs as
 * one pass over their lines would have, see {@link joinBootRuns}), and from pairing raw dmesg with
 * `dmesg -T` texts.
 */
export class BootAnchors {
  private readonly segments: BootRun[] = [];
  private readonly open = new Map<string, BootRun>();

  /** The boot runs of the next input. */
  add(runs: readonly BootRun[]): void {
    joinBootRuns(this.segments, this.open, runs);
  }

  /** Kernel messages with only a wall time (`dmesg -T`), and with only a monotonic stamp (raw dmesg), per host. */
  private readonly wallText = new Map<string, Map<string, number>>();
  private readonly monoText = new Map<string, Map<string, number>>();
  private static readonly MAX_TEXTS = 50_000;

  /** A kernel message printed with a wall time only (`dmesg -T`). */
  observeWallText(host: string, msg: string, wall: number): void {
    const m = this.wallText.get(host) ?? new Map<string, number>();
    if (m.size < BootAnchors.MAX_TEXTS && !m.has(msg)) m.set(msg, wall);
    this.wallText.set(host, m);
  }

  /** A kernel message printed with a monotonic stamp only (raw dmesg). */
  observeMonoText(host: string, msg: string, mono: number): void {
    const m = this.monoText.get(host) ?? new Map<string, number>();
    if (m.size < BootAnchors.MAX_TEXTS && !m.has(msg)) m.set(msg, mono);
    this.monoText.set(host, m);
  }

  /**
   * Boots found by pairing the same kernel message in a raw dmesg and a `dmesg -T` of one host: for
   * hosts without a kern.log. `-T` prints whole seconds, so as for syslog the maximum of
   * `wall - mono` over the pairs converges on the boot instant.
   */
  pairTexts(): void {
    for (const [host, monos] of this.monoText) {
      const walls = this.wallText.get(host);
      if (!walls) continue;
      let boot = -Infinity;
      let n = 0;
      let monoMin = Infinity;
      let monoMax = -Infinity;
      for (const [msg, mono] of monos) {
        monoMin = Math.min(monoMin, mono);
        monoMax = Math.max(monoMax, mono);
        const wall = walls.get(msg);
        if (wall === undefined) continue;
        boot = Math.max(boot, wall - Math.round(mono * 1_000_000));
        n++;
      }
      // A few identical messages could pair by chance across boots: ask for several.
      if (n >= 3 && !this.segments.some((s) => s.host === host && s.monoMin <= monoMax && s.monoMax >= monoMin)) {
        this.segments.push({ host, boot, monoMin, monoMax, samples: n, firstBoot: boot, firstMono: monoMin, firstPrecision: 1_000_000, lowBoot: boot });
      }
    }
  }

  all(): readonly BootSegment[] {
    return this.segments;
  }

  /**
   * The boot a run of monotonic stamps of `host` belongs to: the latest segment whose monotonic range
   * overlaps the run (a dmesg dump is the ring buffer of the boot it was taken in).
   */
  segmentFor(host: string, monoMin: number, monoMax: number): BootSegment | undefined {
    let best: BootSegment | undefined;
    for (const s of this.segments) {
      if (s.host !== host) continue;
      if (s.monoMin <= monoMax + 1 && s.monoMax >= monoMin - 1) best = s;
    }
    return best;
  }
}

/** Ten years in µs: the span between eras of unanchored relative times (see {@link anchorEvents}). */
export const RELATIVE_ERA_US = 10 * 365 * 86_400_000_000;

/**
 * Places lines that carry no time at all (kernel text without timestamps) by their order in their
 * file, one era per file: chains can follow their order, while windows say nothing (quality `none`).
 */
export function orderUntimed(events: LogEvent[], firstEra: number): void {
  const eraOf = new Map<string, number>();
  for (const e of events) {
    if (!Number.isNaN(e.ts) || e.mono !== undefined) continue;
    const k = `${e.host}\0${e.file}`;
    let era = eraOf.get(k);
    if (era === undefined) {
      era = (firstEra + eraOf.size) * RELATIVE_ERA_US;
      eraOf.set(k, era);
    }
    // A second per line: events keep their order, and a rule's windows (seconds to minutes) still
    // reach the lines that follow in the kernel's own sequence.
    e.ts = era + e.line * 1_000_000;
    e.quality = 'none';
  }
}

/** Gives wall times to events that only had monotonic stamps, where a boot of their host is known. */
export function anchorEvents(events: LogEvent[], anchors: BootAnchors): { anchored: number; relative: number; eras: number } {
  const byInput = new Map<string, LogEvent[]>();
  for (const e of events) {
    if (!Number.isNaN(e.ts) || e.mono === undefined) continue;
    const k = `${e.host}\0${e.file}`;
    pushTo(byInput, k, e);
  }
  let anchored = 0;
  let relative = 0;
  let unanchoredRuns = 0;
  for (const list of byInput.values()) {
    // Split the input's events at monotonic resets (several boots in one file).
    let run: LogEvent[] = [];
    const flush = (): void => {
      if (run.length === 0) return;
      const monos = run.map((e) => e.mono!);
      const seg = anchors.segmentFor(run[0].host, Math.min(...monos), Math.max(...monos));
      // Without an anchor the time stays relative to the boot: events still order and window against
      // each other. Each unanchored boot gets its own era, so no chain joins two boots by accident.
      const era = seg ? 0 : unanchoredRuns++ * RELATIVE_ERA_US;
      for (const e of run) {
        if (seg) {
          e.ts = seg.boot + Math.round(e.mono! * 1_000_000);
          e.quality = 'boot-anchored';
          anchored++;
        } else {
          e.ts = era + Math.round(e.mono! * 1_000_000);
          e.quality = 'relative';
          relative++;
        }
      }
      run = [];
    };
    for (const e of list) {
      if (run.length > 0 && e.mono! < run[run.length - 1].mono! - 1) flush();
      run.push(e);
    }
    flush();
  }
  return { anchored, relative, eras: unanchoredRuns };
}
