import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src/model/event.js';
import { LineSplitter } from '../../src/input/lines.js';
import { FORMATS } from '../../src/parsers/registry.js';
import { ingestInputs } from '../../src/pipeline/ingest.js';
import { chunkedMemoryInput } from '../../src/pipeline/plan.js';
import { loadRules } from '../../src/rules/loader.js';
import { Classifier } from '../../src/rules/signatures.js';
import { CASCADE_KERN_LOG } from '../helpers.js';

/** Lines that look like logs, damaged ones, and pure noise: the shapes a power loss leaves. */
const realLines = [...FORMATS.flatMap((f) => f.samples.map((s) => s.line)), ...CASCADE_KERN_LOG.split('\n')];
const lineArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...realLines) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...realLines), fc.nat(200)).map(([l, n]) => l.slice(0, n % (l.length + 1))) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 120 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...realLines), fc.nat(60), fc.string({ unit: 'binary', maxLength: 8 })).map(([l, at, junk]) => l.slice(0, at) + junk + l.slice(at)) },
);

/** Cuts a buffer at arbitrary points. */
function cut(buf: Buffer, points: number[]): Buffer[] {
  const at = [...new Set(points.map((p) => p % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of at) {
    out.push(buf.subarray(prev, p));
    prev = p;
  }
  out.push(buf.subarray(prev));
  return out;
}

describe('every parser survives arbitrary input', () => {
  const ctx = (warnings: string[]) => ({ file: 'f', host: undefined, year: 2026, tz: 'Australia/Sydney', warn: (_l: number, m: string) => void warnings.push(m) });

  for (const format of FORMATS) {
    it(`${format.id}: arbitrary lines and arbitrary bytes never throw; events point at lines that exist`, () => {
      fc.assert(
        fc.property(fc.array(lineArb, { maxLength: 40 }), fc.uint8Array({ maxLength: 300 }), (lines, bytes) => {
          const all = [...lines, ...Buffer.from(bytes).toString('utf8').split(/\r?\n/)];
          const events: LogEvent[] = [];
          const p = format.create(ctx([]), (e) => events.push(e));
          let understood = 0;
          all.forEach((l, i) => {
            if (p.line(l, i + 1, 0)) understood++;
          });
          p.end();
          expect(understood).toBeLessThanOrEqual(all.length);
          for (const e of events) {
            expect(e.line).toBeGreaterThanOrEqual(1);
            expect(e.line).toBeLessThanOrEqual(all.length);
          }
          expect(format.detect(all)).toBeGreaterThanOrEqual(0);
        }),
        { numRuns: 150 },
      );
    });
  }
});

describe('the line splitter', () => {
  it('CR-only and LF files: same lines whatever the chunking, overlong lines cut and reported once each', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.array(fc.nat(600), { maxLength: 10 }), fc.constantFrom(0x0a, 0x0d), (bytes, points, eol) => {
        const run = (chunks: Buffer[]) => {
          const out: string[] = [];
          const over: number[] = [];
          const s = new LineSplitter((b, a, e) => out.push(b.toString('latin1', a, e)), { eol: eol as 0x0a | 0x0d, maxLineBytes: 32, onOverlong: (n) => over.push(n) });
          for (const c of chunks) s.push(c);
          s.end();
          return { out, over, lines: s.lines };
        };
        const buf = Buffer.from(bytes);
        const whole = run([buf]);
        expect(run(cut(buf, points))).toEqual(whole);
        const terms = bytes.filter((b) => b === eol).length;
        expect(whole.lines).toBe(terms + (buf.length > 0 && buf[buf.length - 1] !== eol ? 1 : 0));
        expect(whole.out.every((l) => Buffer.byteLength(l, 'latin1') <= 32)).toBe(true);
        expect(new Set(whole.over).size).toBe(whole.over.length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('ingestion does not depend on chunk boundaries', async () => {
  const classifier = new Classifier(await loadRules([]));
  const view = (e: LogEvent) => `${e.line}|${e.ts}|${e.kind ?? ''}|${e.host}|${e.text}`;
  const ingest = async (chunks: Buffer[], fast: boolean) => {
    const r = await ingestInputs([chunkedMemoryInput('mem.log', chunks, 'k8s02', new Date('2026-06-01T00:00:00Z'))], classifier, { tz: 'UTC', fast: fast ? undefined : false });
    return { summary: r.inputs[0], events: r.store.all().map(view) };
  };
  const textArb = fc.tuple(fc.array(lineArb, { minLength: 1, maxLength: 60 }), fc.constantFrom('\n', '\r\n'), fc.boolean());
  const bodyOf = ([lines, eol, tail]: [string[], string, boolean]) => Buffer.from(lines.join(eol) + (tail ? eol : ''), 'utf8');

  for (const fast of [false, true]) {
    it(`${fast ? 'fast' : 'reference'} path: same events and accounting for any chunking; lines counted, unparsed <= lines`, async () => {
      await fc.assert(
        fc.asyncProperty(textArb, fc.array(fc.nat(8000), { maxLength: 12 }), async (t, points) => {
          const buf = bodyOf(t);
          const whole = await ingest([buf], fast);
          const pieces = await ingest(cut(buf, points), fast);
          expect(pieces).toEqual(whole);
          const s = whole.summary;
          if (s.format === 'skipped') return;
          const nl = buf.toString('latin1').split('\n').length - (buf[buf.length - 1] === 0x0a ? 1 : 0);
          expect(s.lines).toBe(nl);
          expect(s.unparsed).toBeLessThanOrEqual(s.lines);
        }),
        // A fixed seed on the failing path keeps the expected failure deterministic.
        fast ? { numRuns: 60, seed: 7 } : { numRuns: 60 },
      );
    });
  }

  // The smallest counterexample fast-check found for the fast path before skipped lines were shape-checked
  // (with enough syslog lines around it that the file is detected as syslog).
  it('fast path: a file cut after its first byte counts the same unparsed lines', async () => {
    const ok = 'May 28 20:21:04.123456 k8s02 systemd[1]: Started Session 12 of User ubuntu.';
    const buf = Buffer.from(['__REALTIME_TIMESTAMP=1779963664123456', 'Th', ok, ok, ok].join('\n'));
    const whole = await ingest([buf], true);
    expect(whole.summary.unparsed).toBe(2);
    expect(await ingest([buf.subarray(0, 1), buf.subarray(1)], true)).toEqual(whole);
  });

  it('one byte at a time gives what one chunk gives (the cascade with damage in it)', async () => {
    const text = `${CASCADE_KERN_LOG}\n\u0000\u0000garbage \xff\n${CASCADE_KERN_LOG.replace(/May 28/g, 'May 29')}\n`;
    const buf = Buffer.from(text, 'latin1');
    const ones = Array.from(buf, (b) => Buffer.from([b]));
    for (const fast of [false, true]) expect(await ingest(ones, fast)).toEqual(await ingest([buf], fast));
    const ref = await ingest([buf], false);
    expect(ref.summary.lines).toBe(text.split('\n').length - 1);
    expect(ref.events.length).toBeGreaterThan(10);
  });
});
