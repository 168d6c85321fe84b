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
 * Estimates boot instants from lines stamped with both clocks (kern.log's `[ 1234.5]` after a syslog
 * header). Memory is one record per boot, not per line.
 *
 * Syslog's wall time is floored to the second, so each line gives `boot <= wall - mono < boot + 1s`
 * in µs terms; the maximum over a boot converges on the true boot instant from below.
 */
export class BootAnchors {
  private readonly segments: BootSegment[] = [];
  private readonly open = new Map<string, BootSegment>();

  observe(host: string, wall: number, mono: number, precision: number): void {
    const monoUs = Math.round(mono * 1_000_000);
    const boot = wall - monoUs;
    const cur = this.open.get(host);
    // A monotonic clock that goes back is a reboot; a wall/mono relation that moves by more than
    // precision + 2s is a wall clock step: both start a new segment.
    if (!cur || mono < cur.monoMax - 1 || Math.abs(boot - cur.boot) > precision + 2_000_000) {
      const seg: BootSegment = { host, boot, monoMin: mono, monoMax: mono, samples: 1 };
      this.segments.push(seg);
      this.open.set(host, seg);
      return;
    }
    cur.boot = Math.max(cur.boot, boot);
    cur.monoMax = Math.max(cur.monoMax, mono);
    cur.monoMin = Math.min(cur.monoMin, mono);
    cur.samples++;
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
        this.segments.push({ host, boot, monoMin, monoMax, samples: n });
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
