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
    // 02:30 does not exist that day: moved forward by the gap, and flagged.
    expect(iso(c.toUtc(2026, 3, 8, 2, 30, 0))).toBe('2026-03-08T08:30:00.000Z');
    expect(c.lastWasDstEdge).toBe(true);
    // Fall back: 01:30 exists twice on 2026-11-01; the earlier (CDT) instant is taken and flagged.
    expect(iso(c.toUtc(2026, 11, 1, 1, 30, 0))).toBe('2026-11-01T06:30:00.000Z');
    expect(c.lastWasDstEdge).toBe(true);
    expect(iso(c.toUtc(2026, 7, 1, 12, 0, 0))).toBe('2026-07-01T17:00:00.000Z');
    // Next to a change but unambiguous: not flagged.
    c.toUtc(2026, 3, 8, 1, 30, 0);
    expect(c.lastWasDstEdge).toBe(false);
    expect(c.dstEdgeCount).toBe(2);
  });

  it('refuses unknown zones with a clear message', () => {
    expect(() => new ZoneClock('Mars/Olympus')).toThrow(/unknown time zone "Mars\/Olympus"/);
  });
});

describe('DST changes in zone-less logs', () => {
  it('a local time that does not exist is resolved and flagged on the input', async () => {
    const { analyze } = await import('../../src/analyze.js');
    const { makeTree } = await import('../helpers.js');
    const dir = makeTree({ 'h/syslog': 'Mar  8 01:59:59 h app[1]: before\nMar  8 02:30:00 h app[1]: in the gap\nMar  8 03:00:01 h app[1]: after\n' });
    const r = await analyze([dir], { tz: 'America/Chicago', year: 2026, timeline: true });
    expect(r.inputs[0].warnings).toEqual([{ line: 0, message: expect.stringMatching(/^1 local time\(s\) fell in a daylight-saving change of America\/Chicago/) }]);
    // 02:30 does not exist that day: read with the offset before the change, it is 03:30 CDT (08:30Z),
    // later than the last line; the input's first and last times are those of its first and last lines.
    expect(r.inputs[0]).toMatchObject({ first: '2026-03-08T07:59:59.000Z', last: '2026-03-08T08:00:01.000Z' });
  });
});
