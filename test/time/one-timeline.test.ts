import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { makeTree } from '../helpers.js';

// Three hosts in three zones, every kind of timestamp: a year-less syslog crossing New Year (Brisbane),
// its kern.log with [mono] stamps and a raw dmesg that must be boot-anchored, a klog line with µs,
// journalctl short-precise (Chicago), RFC 5424 and journal JSON with µs (UTC).
const BOOT_UTC = Date.UTC(2026, 11, 31, 13, 50, 0); // 2026-12-31 23:50:00 in Brisbane
const jj = (us: number, host: string, msg: string, mono?: number): string =>
  JSON.stringify({ __REALTIME_TIMESTAMP: String(us), ...(mono !== undefined ? { __MONOTONIC_TIMESTAMP: String(mono) } : {}), _HOSTNAME: host, SYSLOG_IDENTIFIER: 'kubelite', _PID: '9', MESSAGE: msg });

function folder(): string {
  return makeTree({
    // Brisbane (UTC+10), year-less: Dec 31 -> Jan 1. The journal of the same host says 2027.
    'brisbane/syslog': [
      'Dec 31 23:59:59 brisbane kernel: [  599.250000] connection1:0: detected conn error (1020)',
      'Jan  1 00:00:01 brisbane microk8s.daemon-kubelite[7]: I0101 00:00:01.654321       7 controller.go:667] quota admission added evaluator for: daemonsets.apps',
      '',
    ].join('\n'),
    'brisbane/kern.log': [
      'Dec 31 23:50:00 brisbane kernel: [    0.000000] Linux version 6.8.0-60-generic (buildd@lcy02) #63-Ubuntu',
      'Dec 31 23:59:59 brisbane kernel: [  599.250000] connection1:0: detected conn error (1020)',
      'Jan  1 00:02:00 brisbane kernel: [  720.000000] session1: session recovery timed out after 120 secs',
      '',
    ].join('\n'),
    'brisbane/dmesg': ['[    0.000000] Linux version 6.8.0-60-generic (buildd@lcy02) #63-Ubuntu', '[  720.000000] session1: session recovery timed out after 120 secs', '[  730.123456] EXT4-fs (sdb): Remounting filesystem read-only', ''].join('\n'),
    'brisbane/kubelite.json': `${jj((Date.UTC(2027, 0, 1, 0, 0, 5) - 10 * 3600e3) * 1000, 'brisbane', 'hello from 2027')}\n`,
    // Chicago (UTC-6 in winter), journalctl -o short-precise.
    'chicago/journal.txt': [
      '-- Logs begin at Thu 2026-12-31 06:00:00 CST, end at Thu 2026-12-31 08:00:00 CST. --',
      'Dec 31 07:59:59.123456 chicago microk8s.daemon-kubelite[8]: I1231 07:59:59.123456       8 taint_eviction.go:111] "Deleting pod" controller="taint-eviction-controller" pod="openebs/a"',
      '',
    ].join('\n'),
    // UTC: RFC 5424 and journal JSON, both to the microsecond.
    'utc/syslog': '<30>1 2026-12-31T13:59:58.000042Z utc kubelite 9 - - "Deleting pod" controller="taint-eviction-controller" pod="openebs/b"\n',
    'utc/kubelite.json': `${jj(Date.UTC(2026, 11, 31, 13, 59, 57) * 1000 + 7, 'utc', 'I1231 13:59:57.000007       9 taint_eviction.go:111] "Deleting pod" controller="taint-eviction-controller" pod="openebs/c"')}\n`,
  });
}

describe('one true UTC timeline across hosts and formats', () => {
  it('places every event at its UTC instant, with its quality', async () => {
    const r = await analyze([folder()], { tzByHost: { brisbane: 'Australia/Brisbane', chicago: 'America/Chicago', utc: 'UTC' }, timeline: true });
    // A kernel line present in several files of a host is one event (kept from one of them).
    const at = (file: string, needle: string): { time: string; quality?: string } => {
      const host = file.split('/')[0];
      const e = r.timeline!.find((t) => t.host === host && t.text.includes(needle) && (t.file === file || !file.endsWith('dmesg')));
      expect(e, `${file}: ${needle}`).toBeDefined();
      return { time: e!.time, quality: e!.quality };
    };
    // Year-less, crossing New Year; the year comes from the host's journal (2027 is the newest).
    expect(at('brisbane/syslog', 'conn error')).toEqual({ time: '2026-12-31T13:59:59.000Z', quality: 'year-inferred' });
    // The klog header refines the syslog second to the microsecond.
    expect(at('brisbane/syslog', 'quota admission').time).toBe('2026-12-31T14:00:01.654321Z');
    // Raw dmesg anchored through kern.log's [mono] stamps of the same boot.
    const ro = at('brisbane/dmesg', 'Remounting');
    expect(ro.quality).toBe('boot-anchored');
    expect(Math.abs(Date.parse(ro.time) - (BOOT_UTC + 730_123.456))).toBeLessThan(1000);
    // Chicago short-precise with a klog header: µs exact; Dec 31 07:59:59 CST = 13:59:59 UTC.
    expect(at('chicago/journal.txt', 'openebs/a').time).toBe('2026-12-31T13:59:59.123456Z');
    // RFC 5424 and journal JSON carry their own zone: exact.
    expect(at('utc/syslog', 'openebs/b')).toEqual({ time: '2026-12-31T13:59:58.000042Z', quality: 'exact' });
    expect(at('utc/kubelite.json', 'openebs/c')).toEqual({ time: '2026-12-31T13:59:57.000007Z', quality: 'exact' });
    // In time order across hosts.
    const times = r.timeline!.filter((t) => t.time).map((t) => t.time);
    expect([...times].sort()).toEqual(times);
  });
});
