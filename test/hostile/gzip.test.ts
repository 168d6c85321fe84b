import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { planInputs } from '../../src/pipeline/plan.js';
import { syslogLines, tmpTree } from './helpers.js';

const input = (r: Awaited<ReturnType<typeof analyze>>, path: string) => {
  const i = r.inputs.find((x) => x.path === path);
  if (!i) throw new Error(`no input ${path} in ${r.inputs.map((x) => x.path).join(', ')}`);
  return i;
};

describe('damaged gzip', () => {
  const text = syslogLines(20_000);
  const gz = gzipSync(Buffer.from(text));
  const cut = Math.floor(gz.length * 0.6);
  const m1 = syslogLines(300, 'first');
  const m2 = syslogLines(300, 'second', 300);
  const root = tmpTree({
    'truncated.gz': gz.subarray(0, cut),
    'members.gz': Buffer.concat([gzipSync(Buffer.from(m1)), gzipSync(Buffer.from(m2))]),
    'garbage-small.gz': Buffer.concat([gzipSync(Buffer.from(m1)), Buffer.from('not gzip at all \x00\x01\xff')]),
    'garbage-big.gz': Buffer.concat([gz, Buffer.from('trailing junk after the member\n')]),
    'zero.gz': Buffer.alloc(0),
    'nul-padded.gz': Buffer.concat([gzipSync(Buffer.from(m1)), Buffer.alloc(4096)]),
    'header-only.gz': gz.subarray(0, 6),
    'intact.log': syslogLines(5, 'intact'),
  });

  it('truncated mid-member: every line decompressed before the cut is analysed, with a warning naming the byte offset', async () => {
    const r = await analyze([root]);
    const i = input(r, 'truncated.gz');
    expect(i.format).toBe('syslog');
    expect(i.compression).toBe('gzip');
    // The cut loses the tail only: most lines, and the last complete ones are in order.
    expect(i.lines).toBeGreaterThan(10_000);
    expect(i.lines).toBeLessThan(20_000);
    expect(i.unparsed).toBeLessThanOrEqual(1); // at most the torn last line
    const w = i.warnings.find((x) => /truncated|damaged/.test(x.message));
    expect(w?.message).toMatch(new RegExp(`${cut}\\b`));
    expect(w?.line).toBeGreaterThan(10_000);
    // The run went on with the other inputs.
    expect(input(r, 'intact.log').lines).toBe(5);
  });

  it('concatenated members are read in full', async () => {
    const r = await analyze([root]);
    const i = input(r, 'members.gz');
    expect(i.lines).toBe(600);
    expect(i.unparsed).toBe(0);
    expect(i.warnings).toEqual([]);
    expect(i.bytes).toBe(Buffer.byteLength(m1) + Buffer.byteLength(m2));
  });

  it('trailing garbage after a large member: warning, not failure', async () => {
    const r = await analyze([root]);
    const i = input(r, 'garbage-big.gz');
    expect(i.format).toBe('syslog');
    expect(i.warnings.some((w) => /gzip/.test(w.message))).toBe(true);
  });

  it('trailing garbage after a small member: the file is recognised (head salvaged member by member) and warned about', async () => {
    const { planned } = await planInputs([root]);
    const p = planned.find((x) => x.rel === 'garbage-small.gz')!;
    expect(p.sniffed.compression).toBe('gzip');
    expect(p.sniffed.head.toString()).toBe(m1);
    expect(p.sniffed.gzipProblem).toMatch(/not gzip data \(from byte \d+\)/);
    const r = await analyze([root]);
    expect(input(r, 'garbage-small.gz').warnings.some((w) => /gzip/.test(w.message))).toBe(true);
  });

  it('NUL padding after the last member (preallocated file) is harmless', async () => {
    const r = await analyze([root]);
    const i = input(r, 'nul-padded.gz');
    expect(i.lines).toBe(300);
    expect(i.warnings).toEqual([]);
  });

  // Gunzip drops what it decompressed from the chunk in which the garbage starts: the file is then
  // re-read member by member (src/ingest/gzip-salvage.ts) and reading goes on where it stopped.
  it('trailing garbage after a small member: every line of the member is read', async () => {
    const r = await analyze([root]);
    expect(input(r, 'garbage-small.gz').lines).toBe(300);
  });

  it('trailing garbage after a large member: every line of the member is read', async () => {
    const r = await analyze([root]);
    expect(input(r, 'garbage-big.gz').lines).toBe(20_000);
  });

  it('zero-byte .gz and a gzip cut inside its header are skipped with a reason, the run continues', async () => {
    const r = await analyze([root]);
    expect(input(r, 'zero.gz').skipped).toBe('empty file (0 bytes)');
    expect(input(r, 'header-only.gz').skipped).toMatch(/nothing could be decompressed: gzip header damaged or cut at byte 0/);
    expect(r.meta?.lines).toBeGreaterThan(10_000);
  });
});

describe('gzip salvage after damage', () => {
  it('two members then garbage: every line of both members, one warning', async () => {
    const { gzipSync } = await import('node:zlib');
    const { makeTree } = await import('../helpers.js');
    const { analyze } = await import('../../src/analyze.js');
    const lines = (from: number, n: number): string => Array.from({ length: n }, (_, i) => `May 28 20:${String(Math.floor((from + i) / 60) % 60).padStart(2, '0')}:${String((from + i) % 60).padStart(2, '0')} k8s02 app[1]: line ${from + i}\n`).join('');
    const dir = makeTree({ 'two.gz': Buffer.concat([gzipSync(lines(0, 2000)), gzipSync(lines(2000, 1000)), Buffer.from('\xde\xad junk after the members\n', 'latin1')]) });
    const r = await analyze([dir], { tz: 'UTC', year: 2026, jobs: 1 } as Parameters<typeof analyze>[1]);
    const i = r.inputs[0];
    expect(i).toMatchObject({ lines: 3000, unparsed: 0 });
    expect(i.warnings).toEqual([{ line: 3001, message: expect.stringMatching(/^gzip: bytes after the last gzip member are not gzip data \(from byte \d+\); they were ignored/) }]);
  });
});
