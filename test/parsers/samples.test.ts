import { describe, expect, it } from 'vitest';
import { isoFromMicros } from '../../src/model/time.js';
import { detectFormat, FORMATS } from '../../src/parsers/registry.js';
import { parseLines } from './helpers.js';

const mine = FORMATS.filter((f) => f.id !== 'goroutine');

describe('every sample of every format (lnav-style), year 2026, zone UTC', () => {
  for (const f of mine) {
    describe(f.id, () => {
      it('has samples and a description', () => {
        expect(f.samples.length).toBeGreaterThan(0);
        expect(f.description.length).toBeGreaterThan(10);
      });
      f.samples.forEach((s, i) => {
        it(`sample ${i + 1}: ${s.line.slice(0, 60)}`, () => {
          const r = parseLines(f, [s.line]);
          expect(r.unparsed).toEqual([]);
          expect(r.events).toHaveLength(1);
          const e = r.events[0]!;
          expect(e.format).toBe(f.id);
          expect(e.line).toBe(1);
          expect(e.text).toBe(s.line);
          if (s.time !== undefined) expect(isoFromMicros(e.ts)).toBe(new Date(s.time).toISOString() === s.time ? isoFromMicros(Date.parse(s.time) * 1000) : isoFromMicros(microsOf(s.time)));
          if (s.host !== undefined) expect(e.host).toBe(s.host);
          if (s.program !== undefined) expect(e.program).toBe(s.program);
          if (s.msg !== undefined) expect(e.msg).toBe(s.msg);
        });
      });
    });
  }
});

/** `...04.123456Z` to µs (Date.parse keeps milliseconds only). */
function microsOf(iso: string): number {
  const m = /\.(\d{4,6})Z$/.exec(iso);
  const ms = Date.parse(iso);
  if (!m) return ms * 1000;
  return Math.floor(ms / 1000) * 1_000_000 + Number(m[1].padEnd(6, '0'));
}

describe('detection order', () => {
  it('each sample line on its own is detected as its format', () => {
    for (const f of mine) {
      // journal-export needs its record context; its detection is covered by fixture files.
      if (f.id === 'journal-export') continue;
      for (const s of f.samples) {
        const got = detectFormat([s.line]);
        // A journal short line without markers is syslog by design; kernel kern.log lines read as kern.log.
        const expected = f.id === 'journal' && !s.line.startsWith('-- ') && !s.line.startsWith('[') ? 'syslog' : f.id;
        const alt = f.id === 'syslog' && s.program === 'kernel' ? 'kern.log' : expected;
        expect([expected, alt], `${f.id}: ${s.line}`).toContain(got?.id);
      }
    }
  });
});
