/**
 * Converts local wall-clock times of one IANA zone to UTC microseconds.
 *
 * The zone offset is computed once per local hour and cached: parsing millions of zone-less syslog
 * lines costs one Map lookup each. Offsets come from `Intl` directly (date-fns-tz 3.2's
 * getTimezoneOffset is off by an hour in the hours before a DST change). Hours next to a DST change
 * are not cached and are resolved per call; such times are reported through `lastWasDstEdge`.
 */
/** Names of UTC itself (fixed offset 0, no daylight saving). */
const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/UCT', 'UCT', 'Etc/Universal', 'Universal', 'Zulu', 'Etc/Zulu', 'GMT', 'Etc/GMT', 'Etc/GMT0', 'Etc/GMT+0', 'Etc/GMT-0', 'GMT0', 'GMT+0', 'GMT-0', 'Greenwich', 'Etc/Greenwich']);

export class ZoneClock {
  readonly tz: string;
  private readonly cache = new Map<number, number>();
  /** Null for UTC, whose offset is always 0 (no Intl formatter: the first one costs ~10 ms of ICU start-up). */
  private readonly fmt: Intl.DateTimeFormat | null;
  /** True when the last conversion fell in a DST gap (time that does not exist) or overlap (exists twice). */
  lastWasDstEdge = false;
  /** Conversions so far that fell in a DST gap or overlap (callers compare before/after an input). */
  dstEdgeCount = 0;

  constructor(tz: string) {
    this.tz = tz;
    if (UTC_NAMES.has(tz)) {
      this.fmt = null;
      return;
    }
    try {
      this.fmt = new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new RangeError(`unknown time zone "${tz}" (expected an IANA name such as Australia/Brisbane or UTC)`);
    }
  }

  /** Offset of the zone (local minus UTC, in ms) at a UTC instant. */
  offsetAt(utcMs: number): number {
    if (!this.fmt) return 0;
    const p: Record<string, number> = {};
    for (const part of this.fmt.formatToParts(new Date(utcMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
    const local = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    return local - (utcMs - (((utcMs % 1000) + 1000) % 1000));
  }

  /** Local fields (month 1-12) to UTC microseconds. */
  toUtc(year: number, month: number, day: number, hour: number, minute: number, second: number, micros = 0): number {
    const local = Date.UTC(year, month - 1, day, hour, minute, second);
    const hourKey = Math.floor(local / 3_600_000);
    let offset = this.cache.get(hourKey);
    this.lastWasDstEdge = false;
    if (offset === undefined) {
      const o1 = this.offsetAt(local);
      const o2 = this.offsetAt(local - o1);
      // The offset must hold for the whole local hour, on both sides, to be cached.
      const before = this.offsetAt(local - o2 - 3_600_000);
      const after = this.offsetAt(local - o2 + 3_600_000);
      if (o1 === o2 && before === o2 && after === o2) {
        offset = o2;
        this.cache.set(hourKey, offset);
      } else {
        // In an overlap (fall back) the local time exists twice: take the earlier instant. In a gap
        // (spring forward) it does not exist: read it with the offset before the change, which moves it
        // forward by the gap (02:30 on a 02:00 -> 03:00 day becomes 03:30), as java.time does.
        const cands = [...new Set([before, o1, o2, after].filter((o) => this.offsetAt(local - o) === o))];
        offset = cands.length > 0 ? Math.max(...cands) : before;
        this.lastWasDstEdge = cands.length !== 1;
        if (this.lastWasDstEdge) this.dstEdgeCount++;
      }
    }
    return (local - offset) * 1000 + micros;
  }
}

const clocks = new Map<string, ZoneClock>();

/** A shared {@link ZoneClock} per zone name. */
export function zoneClock(tz: string): ZoneClock {
  let c = clocks.get(tz);
  if (!c) {
    c = new ZoneClock(tz);
    clocks.set(tz, c);
  }
  return c;
}

/** Checks every zone given (`--tz`, `--tz host=zone`) up front; throws a RangeError naming a bad one. */
export function checkZones(tz: string | undefined, tzByHost: Record<string, string> = {}): void {
  for (const z of [tz, ...Object.values(tzByHost)]) if (z) zoneClock(z);
}
