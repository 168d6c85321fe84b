import { describe, expect, it } from 'vitest';
import { isoFromMicros } from '../../src/model/time.js';
import { journalExportFormat } from '../../src/parsers/journal-export.js';
import { journalFieldText, journalJsonFormat } from '../../src/parsers/journal-json.js';
import { parseLines, parseText, readFixture } from './helpers.js';

describe('journalctl -o json', () => {
  it('reads exact µs time, mono seconds, host, identifier/_COMM, pid, priority, boot id, byte-array and null MESSAGE', () => {
    const r = parseText(journalJsonFormat, readFixture('journal.jsonl'));
    expect(r.unparsed).toEqual([]);
    const [k, i, kube, nul] = r.events;
    expect(k).toMatchObject({ quality: 'exact', precision: 1, host: 'k8s02', program: 'kernel', priority: 3, mono: 1584.148816, data: { bootId: '1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6' } });
    expect(isoFromMicros(k!.ts)).toBe('2026-05-28T20:20:05.148816Z');
    expect(i).toMatchObject({ program: 'iscsid', pid: 1021, priority: 4 });
    expect(kube!.msg).toBe('E0528 20:20:06.951234    2345 csi_attacher.go:400] "Failed"');
    expect(kube!.klog).toMatchObject({ severity: 'E', msg: 'Failed' });
    // µs journal time is not replaced by the klog time.
    expect(isoFromMicros(kube!.ts)).toBe('2026-05-28T20:20:06.951300Z');
    expect(nul).toMatchObject({ msg: '', program: 'containerd' });
  });

  it('json-seq record separator, multi-value fields, invalid JSON warned with line number', () => {
    const r = parseLines(journalJsonFormat, ['\x1e{"__REALTIME_TIMESTAMP":"1","MESSAGE":["first","second"]}', '{"__REALTIME_TIMESTAMP":"2", "MESS', '[1,2]']);
    expect(r.events[0]!.msg).toBe('first');
    expect(r.unparsed).toEqual([2, 3]);
    expect(r.warnings).toEqual([{ line: 2, message: expect.stringContaining('not valid JSON') }]);
    expect(journalFieldText([[104, 105], 'x'])).toBe('hi');
  });
});

describe('journalctl -o export', () => {
  it('assembles KEY=value records separated by blank lines', () => {
    const r = parseText(journalExportFormat, readFixture('journal-export.txt'));
    expect(r.unparsed).toEqual([]);
    expect(r.events).toHaveLength(2);
    expect(r.events[0]).toMatchObject({ line: 1, lines: 9, host: 'k8s02', program: 'kernel', priority: 3, mono: 1584.148816, msg: ' connection4:0: detected conn error (1022)' });
    expect(r.events[1]).toMatchObject({ line: 11, program: 'iscsid', pid: 1021 });
    expect(isoFromMicros(r.events[1]!.ts)).toBe('2026-05-28T20:20:06.002100Z');
  });

  it('reads a binary MESSAGE spanning lines (length residue dropped) and stops at the next field', () => {
    // What read-input hands over for `MESSAGE\n<le64 27>line one\nline two\n`: NULs stripped, 0x1b kept.
    const r = parseLines(journalExportFormat, ['__REALTIME_TIMESTAMP=1779999605148816', 'MESSAGE', '\x1bpanic: boom', 'goroutine 1 [running]:', '_HOSTNAME=k8s02', '']);
    expect(r.unparsed).toEqual([]);
    expect(r.events).toHaveLength(1);
    expect(r.events[0]).toMatchObject({ msg: 'panic: boom\ngoroutine 1 [running]:', host: 'k8s02', lines: 5 });
  });

  it('a length byte of 0x0a (empty first line after the key) is still data; stray lines are not understood', () => {
    const r = parseLines(journalExportFormat, ['MESSAGE', '', 'ten bytes!', '', 'not a field', '__REALTIME_TIMESTAMP=5']);
    expect(r.events.map((e) => e.msg)).toEqual(['\nten bytes!', '']);
    expect(r.unparsed).toEqual([5]);
  });
});
