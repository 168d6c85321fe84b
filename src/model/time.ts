/**
 * How far a timestamp can be trusted. Ordered from best to worst.
 *
 * - `exact`: the source states date, time and zone (RFC3339, journal JSON, klog with a known year and zone).
 * - `zone-assumed`: the source has no zone; the zone came from `--tz` or a default.
 * - `year-inferred`: the source has no year (RFC3164 syslog, klog); the year was inferred.
 * - `boot-anchored`: a kernel monotonic stamp converted with an estimated boot time.
 * - `relative`: only a monotonic stamp, no anchor: the value orders events within one boot but is not wall-clock.
 * - `none`: the line carries no time; it inherits its neighbour's position.
 */
export type TimeQuality = 'exact' | 'zone-assumed' | 'year-inferred' | 'boot-anchored' | 'relative' | 'none';

export const TIME_QUALITY_ORDER: readonly TimeQuality[] = [
  'exact',
  'zone-assumed',
  'year-inferred',
  'boot-anchored',
  'relative',
  'none',
];

/** The worse of two qualities. */
export function worseQuality(a: TimeQuality, b: TimeQuality): TimeQuality {
  return TIME_QUALITY_ORDER.indexOf(a) >= TIME_QUALITY_ORDER.indexOf(b) ? a : b;
}

/** Microseconds per unit, for readable constants. */
export const US = { ms: 1_000, s: 1_000_000, m: 60_000_000, h: 3_600_000_000, d: 86_400_000_000 } as const;

/** ISO 8601 UTC with microseconds when they are not zero, else milliseconds: `2026-05-28T10:21:04.123Z`. */
export function isoFromMicros(us: number): string {
  if (!Number.isFinite(us)) return '';
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString();
  const micro = Math.round(us - ms * 1000);
  return micro === 0 ? iso : `${iso.slice(0, -1)}${String(micro).padStart(3, '0')}Z`;
}

/** Parses an ISO 8601 instant (with zone) into UTC microseconds; NaN when it is not one. */
export function microsFromIso(iso: string): number {
  const m = /^(.*?[T ]\d{2}:\d{2}:\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/i.exec(iso.trim());
  if (!m) return NaN;
  const frac = (m[2] ?? '').padEnd(6, '0').slice(0, 6);
  const ms = Date.parse(`${m[1]}${m[3] ?? 'Z'}`);
  return Number.isNaN(ms) ? NaN : ms * 1000 + Number(frac);
}
