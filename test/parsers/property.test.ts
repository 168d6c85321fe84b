import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseKlog } from '../../src/parsers/klog.js';
import { detectFormat, FORMATS } from '../../src/parsers/registry.js';
import { parseLines } from './helpers.js';

const mine = FORMATS.filter((f) => f.id !== 'goroutine');

// Arbitrary text plus mutations of real sample lines, where parsers are most likely to slip.
const sampleLines = mine.flatMap((f) => f.samples.map((s) => s.line));
const mutated = fc
  .tuple(fc.constantFrom(...sampleLines), fc.nat(), fc.nat(), fc.string({ unit: 'binary', maxLength: 8 }))
  .map(([l, a, b, ins]) => {
    const i = a % (l.length + 1);
    return l.slice(0, i) + ins + l.slice(Math.min(l.length, i + (b % 6)));
  });
const anyLine = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), mutated);

describe('parsers never throw', () => {
  for (const f of mine) {
    it(`${f.id}: arbitrary and mutated lines`, () => {
      fc.assert(
        fc.property(fc.array(anyLine, { maxLength: 12 }), (lines) => {
          const r = parseLines(f, lines);
          for (const e of r.events) {
            expect(e.line).toBeGreaterThanOrEqual(1);
            expect(e.lines).toBeGreaterThanOrEqual(1);
            expect(e.format).toBe(f.id);
            expect(typeof e.msg).toBe('string');
          }
          f.detect(lines);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('parseKlog and detection on arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), mutated.map((l) => `I0528 20:21:04.123456 1 a.go:1] ${l}`)), (s) => {
        parseKlog(s);
        detectFormat([s]);
      }),
      { numRuns: 1000 },
    );
  });
});
