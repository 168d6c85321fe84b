import { getTimezoneOffset } from 'date-fns-tz';

/**
 * Converts local wall-clock times of one IANA zone to UTC microseconds.
 *
 * The zone offset is computed once per local hour and cached: parsing millions of zone-less syslog
 * lines costs one Map lookup each. Hours that straddle a DST change are not cached and are
 * resolved per call; such times are reported through `lastWasDstEdge` so callers can flag them.
 */
export class ZoneClock {
  readonly tz: string;
  private readonly cache = new Map<number, number>();
  /** True when the last conversion fell in a DST gap or overlap. */
  lastWasDstEdge = false;

  constructor(tz: string) {
    if (Number.isNaN(getTimezoneOffset(tz, new Date(0)))) {
      throw new RangeError(`unknown time zone "${tz}" (expected an IANA name such as Australia/Brisbane or UTC)`);
    }
    this.tz = tz;
  }

  /** Local fields (month 1-12) to UTC microseconds. */
  toUtc(year: number, month: number, day: number, hour: number, minute: number, second: number, micros = 0): number {
    const local = Date.UTC(year, month - 1, day, hour, minute, second);
    const hourKey = Math.floor(local / 3_600_000);
    let offset = this.cache.get(hourKey);
    this.lastWasDstEdge = false;
    if (offset === undefined) {
      const o1 = getTimezoneOffset(this.tz, new Date(local));
      const o2 = getTimezoneOffset(this.tz, new Date(local - o1));
      const o3 = getTimezoneOffset(this.tz, new Date(local + 3_599_999 - o1));
      if (o1 === o2 && o2 === o3) {
        offset = o1;
        this.cache.set(hourKey, offset);
      } else {
        // A DST transition near this hour: resolve this instant alone.
        this.lastWasDstEdge = true;
        offset = getTimezoneOffset(this.tz, new Date(local - o2)) === o2 ? o2 : o1;
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
