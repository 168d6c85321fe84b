import { describe, expect, it } from 'vitest';
import { ZoneClock } from '../../src/time/zone.js';

const iso = (us: number): string => new Date(us / 1000).toISOString();

describe('ZoneClock', () => {
  it('converts fixed-offset zones', () => {
    const c = new ZoneClock('Australia/Brisbane');
    expect(iso(c.toUtc(2026, 5, 28, 20, 21, 4))).toBe('2026-05-28T10:21:04.000Z');
    expect(c.toUtc(2026, 5, 28, 20, 21, 4, 123456) % 1_000_000).toBe(123456);
  });

  it('is right in the hours before and after a DST change (America/Chicago, 2026-03-08 02:00 -> 03:00)', () => {
    const c = new ZoneClock('America/Chicago');
    expect(iso(c.toUtc(2026, 3, 8, 0, 30, 0))).toBe('2026-03-08T06:30:00.000Z');
    expect(iso(c.toUtc(2026, 3, 8, 1, 59, 58))).toBe('2026-03-08T07:59:58.000Z');
    expect(iso(c.toUtc(2026, 3, 8, 3, 0, 0))).toBe('2026-03-08T08:00:00.000Z');
    expect(iso(c.toUtc(2026, 3, 8, 4, 0, 0))).toBe('2026-03-08T09:00:00.000Z');
    // 02:30 does not exist that day: flagged.
    c.toUtc(2026, 3, 8, 2, 30, 0);
    expect(c.lastWasDstEdge).toBe(true);
    // Fall back: 01:30 exists twice on 2026-11-01; the earlier (CDT) instant is taken and flagged.
    expect(iso(c.toUtc(2026, 11, 1, 1, 30, 0))).toBe('2026-11-01T06:30:00.000Z');
    expect(c.lastWasDstEdge).toBe(true);
    expect(iso(c.toUtc(2026, 7, 1, 12, 0, 0))).toBe('2026-07-01T17:00:00.000Z');
  });

  it('refuses unknown zones with a clear message', () => {
    expect(() => new ZoneClock('Mars/Olympus')).toThrow(/unknown time zone "Mars\/Olympus"/);
  });
});
