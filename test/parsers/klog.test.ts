import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src/model/event.js';
import { isoFromMicros } from '../../src/model/time.js';
import { attachKlog, klogTime, parseKlog } from '../../src/parsers/klog.js';
import { klogFormat } from '../../src/parsers/klog-file.js';
import { parseText, readFixture } from './helpers.js';

describe('parseKlog', () => {
  it('structured: unquoted message, quoted/bare/nil/braced values', () => {
    const h = parseKlog(
      'I0528 20:21:04.123456    1234 taint_eviction.go:111] "Deleting pod" controller="taint-eviction-controller" pod="openebs/pvc-0f1e" err=<nil> n=3 obj={"a":"b c","d":[1,2]} list=[x y] q="say \\"hi\\"\\n\\\\"',
    );
    expect(h).toEqual({
      severity: 'I',
      file: 'taint_eviction.go',
      line: 111,
      pid: 1234,
      msg: 'Deleting pod',
      stamp: '0528 20:21:04.123456',
      kv: { controller: 'taint-eviction-controller', pod: 'openebs/pvc-0f1e', err: '<nil>', n: '3', obj: '{"a":"b c","d":[1,2]}', list: '[x y]', q: 'say "hi"\n\\' },
    });
  });

  it('unstructured form keeps the text and has no pairs', () => {
    expect(parseKlog('W0528 20:21:04.000001       7 reflector.go:539] watch of *v1.Pod ended with: an error')).toMatchObject({
      severity: 'W',
      msg: 'watch of *v1.Pod ended with: an error',
      kv: {},
    });
  });

  it('rejects lookalikes cheaply and tolerates unterminated quotes', () => {
    expect(parseKlog('Info 0528 20:21:04')).toBeNull();
    expect(parseKlog('I0528 20:21:04 x.go:1] no micros')).toBeNull();
    expect(parseKlog('')).toBeNull();
    expect(parseKlog('E0528 20:21:04.000001 1 a.go:2] "unterminated')?.msg).toBe('"unterminated');
    expect(parseKlog('E0528 20:21:04.000001 1 a.go:2] "m" k="open')?.kv).toEqual({ k: '"open' });
  });
});

describe('klogTime / attachKlog', () => {
  const h = parseKlog('E0528 20:21:03.987654    2345 csi_attacher.go:400] "Failed"')!;
  it('converts the header time in the given year and zone', () => {
    expect(isoFromMicros(klogTime(h, 2026, 'Australia/Brisbane'))).toBe('2026-05-28T10:21:03.987654Z');
  });

  const ev = (ts: number, precision: number): LogEvent => ({ ts, precision, quality: 'year-inferred', host: 'h', file: 'f', line: 1, lines: 1, offset: 0, format: 'syslog', text: '', msg: 'I1231 23:59:59.900000 1 a.go:1] "x"' });
  it('refines across New Year using the closest year', () => {
    const e = ev(Date.UTC(2027, 0, 1, 0, 0, 0) * 1000, 1e6);
    attachKlog(e, 'UTC');
    expect(isoFromMicros(e.ts)).toBe('2026-12-31T23:59:59.900Z');
    expect(e.precision).toBe(1);
  });
  it('leaves events without a time or already precise unchanged', () => {
    const e = ev(NaN, 0);
    attachKlog(e, 'UTC');
    expect(e.klog?.msg).toBe('x');
    expect(Number.isNaN(e.ts)).toBe(true);
  });
});

describe('klog files', () => {
  it('reads bare klog lines with year-inferred µs times and joins multi-line values', () => {
    const r = parseText(klogFormat, readFixture('klog.log'), { tz: 'Australia/Brisbane', host: 'cp1' });
    expect(r.unparsed).toEqual([]);
    expect(r.events).toHaveLength(4);
    expect(r.events[0]).toMatchObject({ quality: 'year-inferred', precision: 1, priority: 6, host: 'cp1' });
    expect(isoFromMicros(r.events[0]!.ts)).toBe('2026-05-28T10:20:05.148816Z');
    expect(r.events[2]).toMatchObject({ line: 3, lines: 4, priority: 3 });
    expect(r.events[2]!.klog?.kv.err).toBe('<');
    expect(r.events[3]!.klog?.kv).toEqual({ object: 'openebs/pvc-1', kind: 'Pod', reason: 'Killing' });
  });
});
