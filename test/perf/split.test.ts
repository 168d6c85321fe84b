import { statSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readAll, type ReadResult, type ReadTask } from '../../src/ingest/parallel.js';
import { planRanges } from '../../src/ingest/split.js';
import { formatById } from '../../src/parsers/registry.js';
import { loadRules } from '../../src/rules/loader.js';
import { Classifier } from '../../src/rules/signatures.js';
import type { LoadedRule } from '../../src/rules/types.js';
import { tmpTree } from '../hostile/helpers.js';

/**
 * A large plain file cut into byte ranges read on several threads gives what reading it whole gives:
 * line numbers, offsets, gaps and clock jumps at the cuts, goroutine dumps across a cut.
 */
let rules: LoadedRule[];
let classifier: Classifier;
beforeAll(async () => {
  rules = await loadRules([], { builtin: true });
  classifier = new Classifier(rules);
});

const syslog = formatById('syslog')!;
const two = (v: number): string => String(v).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** A syslog header for seconds since 2026-05-28 00:00 (local, year-less). */
function stamp(sec: number, month = 4, day = 28): string {
  const d = new Date(Date.UTC(2026, month, day) + sec * 1000);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

function task(abs: string, year = 2026): ReadTask {
  return { abs, open: () => createReadStream(abs), rel: 'syslog', host: undefined, compression: 'none', eol: 0x0a, parser: syslog, year, tz: 'UTC', size: statSync(abs).size };
}

/**
 * Comparable form of a result (Maps and typed arrays as plain values). `obs.hosts` tallies runs of
 * lines of one host (only to name the summary's host, which is compared): a cut starts a new run.
 */
function plain(r: ReadResult): unknown {
  return JSON.parse(JSON.stringify({ ...r, obs: { ...r.obs, hosts: [...r.obs.hosts.keys()], intervals: [...r.obs.intervals] }, years: [...r.years] }));
}

async function whole(abs: string): Promise<ReadResult> {
  return (await readAll([task(abs)], classifier, { jobs: 1, rules }))[0];
}
async function cut(abs: string, parts: number): Promise<ReadResult> {
  const size = statSync(abs).size;
  return (await readAll([task(abs)], classifier, { jobs: 2, rules, fastOptions: { rangeBytes: Math.floor(size / parts) } }))[0];
}

/** Lines a second apart; `at` maps a line index to its time (seconds), `text` to its message. */
function lines(n: number, at: (i: number) => number, text: (i: number) => string = (i) => `app[1]: ordinary line ${i}`): string[] {
  return Array.from({ length: n }, (_, i) => `${stamp(at(i))} k8s02 ${text(i)}`);
}

/** Index of the first line starting at or after byte `b`. */
function lineAtByte(ls: string[], b: number): number {
  let off = 0;
  for (let i = 0; i < ls.length; i++) {
    if (off >= b) return i;
    off += Buffer.byteLength(ls[i]) + 1;
  }
  return ls.length;
}

describe('cutting a large file into byte ranges', () => {
  it('a silence and a clock step back exactly at cuts are found as in a whole read', async () => {
    const n = 4000;
    const probe = lines(n, (i) => i);
    const size = probe.reduce((a, l) => a + Buffer.byteLength(l) + 1, 0);
    // With 4 parts the cuts are at the first lines starting after 1/4, 1/2 and 3/4 of the bytes.
    const gapAt = lineAtByte(probe, Math.floor(size / 4));
    const jumpAt = lineAtByte(probe, Math.floor(size / 2));
    const at = (i: number): number => (i >= gapAt ? 7200 : 0) + (i >= jumpAt ? -3 * 3600 : 0) + i;
    const ls = lines(n, at, (i) => (i % 500 === 7 ? `kernel: [ 100.000000]  connection1:0: detected conn error (1020) ${i}` : `app[1]: ordinary line ${i}`));
    const dir = tmpTree({ syslog: ls.join('\n') + '\n' });
    const abs = `${dir}/syslog`;
    expect(planRanges({ ...task(abs), abs }, 4)?.length).toBe(4);
    const ref = await whole(abs);
    expect(ref.obs.gaps.length).toBe(1);
    expect(ref.obs.jumps.length).toBe(1);
    expect(ref.kept.length).toBeGreaterThan(0);
    expect(plain(await cut(abs, 4))).toEqual(plain(ref));
  });

  it('a goroutine dump written across a cut: the file is read again whole, with the same result', async () => {
    const n = 3000;
    const dumpLines = [
      'kubelite[7]: goroutine 1 [running]:',
      'kubelite[7]: main.main()',
      'kubelite[7]: #011/src/main.go:10 +0x1d',
      'kubelite[7]: ',
      'kubelite[7]: goroutine 123 [select, 33 minutes]:',
      'kubelite[7]: k8s.io/client-go/tools/cache.(*processorListener).pop(0xc000123456)',
      'kubelite[7]: #011/src/k8s.io/client-go/tools/cache/shared_informer.go:1036 +0x11c',
    ];
    const probe = lines(n, (i) => i);
    const size = probe.reduce((a, l) => a + Buffer.byteLength(l) + 1, 0);
    const mid = lineAtByte(probe, Math.floor(size / 2));
    const ls = lines(n, (i) => i, (i) => (i >= mid - 3 && i < mid - 3 + dumpLines.length ? dumpLines[i - mid + 3] : `app[1]: ordinary line ${i}`));
    const dir = tmpTree({ syslog: ls.join('\n') + '\n' });
    const abs = `${dir}/syslog`;
    const ref = await whole(abs);
    expect(ref.kept.some((e) => e.format === 'goroutine')).toBe(true);
    expect(plain(await cut(abs, 2))).toEqual(plain(ref));
  });

  it("an input's first and last times are those of its first and last timed lines, whatever the cuts and chunks", async () => {
    // Blank lines at both ends (no time), and klog lines whose own time runs ahead of the syslog
    // header of the lines after them: the latest time is not the last line's.
    const klog = (sec: number): string => `microk8s.daemon-kubelite[2180]: I0528 ${two(Math.floor(sec / 3600))}:${two(Math.floor(sec / 60) % 60)}:${two(sec % 60)}.900000    2180 log.go:245] line ${sec}`;
    const body = lines(4000, (i) => 3600 + i, (i) => (i === 3998 ? klog(3600 + 3999) : i % 7 === 3 ? klog(3600 + i) : `app[1]: ordinary line ${i}`));
    const blanks = Array.from({ length: 40 }, () => '');
    const dir = tmpTree({ syslog: [...blanks, ...body, ...blanks].join('\n') + '\n' });
    const abs = `${dir}/syslog`;
    const times = (r: ReadResult): [string | null, string | null] => [r.summary.first, r.summary.last];
    const expected: [string, string] = ['2026-05-28T01:00:00.000Z', '2026-05-28T02:06:39.000Z'];
    expect(times((await readAll([task(abs)], classifier, { jobs: 1, rules, fast: false }))[0])).toEqual(expected);
    expect(times(await whole(abs))).toEqual(expected);
    for (const parts of [2, 3, 5]) expect(times(await cut(abs, parts))).toEqual(expected);
    for (const chunkBytes of [4096, 7 * 1024 + 3]) {
      const r = (await readAll([task(abs)], classifier, { jobs: 1, rules, fastOptions: { chunkBytes, sampleBytes: 1024 } }))[0];
      expect(times(r)).toEqual(expected);
    }
  });

  it('a year-less file crossing New Year is not cut (its year is counted from its first line)', () => {
    const ls = Array.from({ length: 4000 }, (_, i) => `${stamp(i * 60, 11, 31)} k8s02 app[1]: line ${i}`);
    expect(ls[3999].startsWith('Jan')).toBe(true);
    const dir = tmpTree({ syslog: ls.join('\n') + '\n' });
    expect(planRanges({ ...task(`${dir}/syslog`), abs: `${dir}/syslog` }, 4)).toBeNull();
  });

  it('cuts fall at line starts, on lines with a time', () => {
    const ls = lines(5000, (i) => i);
    ls[2500] = '#### junk line without a time';
    const dir = tmpTree({ syslog: ls.join('\n') + '\n' });
    const abs = `${dir}/syslog`;
    const text = ls.join('\n') + '\n';
    const ranges = planRanges({ ...task(abs), abs }, 5)!;
    expect(ranges.map((r) => r.start)[0]).toBe(0);
    expect(ranges[ranges.length - 1].end).toBe(Buffer.byteLength(text));
    for (const r of ranges.slice(1)) {
      expect(text[r.start - 1]).toBe('\n');
      expect(text.slice(r.start, r.start + 3)).toBe('May');
    }
  });
});
