import { describe, expect, it } from 'vitest';
import { isoFromMicros } from '../../src/model/time.js';
import { journalFormat } from '../../src/parsers/journal.js';
import { kernLogFormat } from '../../src/parsers/kernlog.js';
import { splitTag, syslogFormat } from '../../src/parsers/syslog.js';
import { haveReal, parseLines, parseText, readFixture, readReal, splitLines } from './helpers.js';

const one = (line: string, ctx = {}) => {
  const r = parseLines(syslogFormat, [line], ctx);
  expect(r.unparsed).toEqual([]);
  return r.events[0]!;
};

describe('RFC3164', () => {
  it('reads host, tag, pid, zone-assumed local time and year-inferred quality', () => {
    const e = one('May 28 20:21:04 k8s02 iscsid[1021]: connection1:0 is operational now', { tz: 'Australia/Brisbane' });
    expect(isoFromMicros(e.ts)).toBe('2026-05-28T10:21:04.000Z');
    expect(e).toMatchObject({ quality: 'year-inferred', precision: 1e6, host: 'k8s02', program: 'iscsid', pid: 1021, msg: 'connection1:0 is operational now' });
  });

  it('keeps the fraction of journalctl short-precise and the PRI severity', () => {
    const e = one('<27>May  8 20:21:04.1234 k8s02 prog: x');
    expect(e.ts % 1_000_000).toBe(123_400);
    expect(e.precision).toBe(100);
    expect(e.priority).toBe(3);
  });

  it('crosses New Year when months go back from Dec to Jan', () => {
    const r = parseLines(syslogFormat, ['Dec 31 23:59:59 h a: x', 'Jan  1 00:00:01 h a: y'], { year: 2025 });
    expect(r.events.map((e) => isoFromMicros(e.ts))).toEqual(['2025-12-31T23:59:59.000Z', '2026-01-01T00:00:01.000Z']);
  });

  it('splits a kernel [mono] stamp and keeps tagless messages', () => {
    const k = one('May 28 20:22:07 k8s02 kernel: [ 1705.002871] sd 6:0:0:0: rejecting I/O to offline device');
    expect(k).toMatchObject({ mono: 1705.002871, msg: 'sd 6:0:0:0: rejecting I/O to offline device' });
    const mark = one('May 28 20:22:07 k8s02 -- MARK --');
    expect(mark).toMatchObject({ program: undefined, msg: '-- MARK --' });
    expect(one('May 28 20:22:07 k8s02')).toMatchObject({ host: 'k8s02', msg: '' });
  });

  it('refines whole-second syslog time with the klog header of the message', () => {
    const e = one('May 28 20:21:04 k8s02 microk8s.daemon-kubelite[2345]: E0528 20:21:03.987654    2345 csi_attacher.go:400] "Failed" err="rpc error: code = Internal"', { tz: 'Australia/Brisbane' });
    expect(isoFromMicros(e.ts)).toBe('2026-05-28T10:21:03.987654Z');
    expect(e.precision).toBe(1);
    expect(e.klog).toMatchObject({ severity: 'E', file: 'csi_attacher.go', line: 400, pid: 2345, msg: 'Failed', kv: { err: 'rpc error: code = Internal' } });
  });

  it('keeps the syslog time when the klog time is more than 2 s away', () => {
    const e = one('May 28 20:21:04 k8s02 kubelite[2345]: I0528 20:20:59.000001    2345 x.go:1] late flush');
    expect(isoFromMicros(e.ts)).toBe('2026-05-28T20:21:04.000Z');
    expect(e.precision).toBe(1e6);
    expect(e.klog?.msg).toBe('late flush');
  });

  it('splitTag handles pam idents and versioned program names', () => {
    expect(splitTag('sshd(pam_unix)[19939]: check pass')).toEqual({ program: 'sshd(pam_unix)', pid: 19939, msg: 'check pass' });
    expect(splitTag('syslogd 1.4.1: restart.')).toEqual({ program: 'syslogd 1.4.1', pid: undefined, msg: 'restart.' });
    expect(splitTag('no tag here')).toEqual({ msg: 'no tag here' });
  });
});

describe('RFC3339 (rsyslog high precision, journalctl short-iso) and short-full/unix', () => {
  it('reads exact times with the stated offset', () => {
    const r = parseText(syslogFormat, readFixture('rsyslog-rfc3339.log'), { tz: 'UTC' });
    expect(r.unparsed).toEqual([]);
    expect(r.events).toHaveLength(4);
    expect(r.events[0]).toMatchObject({ quality: 'exact', precision: 1, host: 'k8s02', program: 'kernel', mono: 1584.148816, msg: ' connection4:0: detected conn error (1022)' });
    expect(isoFromMicros(r.events[0]!.ts)).toBe('2026-05-28T10:20:05.148816Z');
    // Already microsecond-precise: the klog header is attached but does not move the time.
    expect(isoFromMicros(r.events[2]!.ts)).toBe('2026-05-28T10:20:06.951300Z');
    expect(r.events[2]!.klog?.stamp).toBe('0528 20:20:06.951234');
  });

  it('reads short-iso `+1000`, zone-less ISO as zone-assumed, short-full and short-unix', () => {
    expect(isoFromMicros(one('2026-05-28T20:21:04+1000 k8s02 multipathd[655]: sdc: mark as failed').ts)).toBe('2026-05-28T10:21:04.000Z');
    const z = one('2026-05-28 20:21:04 k8s02 multipathd[655]: sdc: mark as failed', { tz: 'Australia/Brisbane' });
    expect(z.quality).toBe('zone-assumed');
    expect(isoFromMicros(z.ts)).toBe('2026-05-28T10:21:04.000Z');
    const full = one('Thu 2026-05-28 20:21:04.500000 AEST k8s02 sshd[9]: Accepted', { tz: 'Australia/Brisbane' });
    expect(full).toMatchObject({ quality: 'zone-assumed', host: 'k8s02', program: 'sshd', pid: 9 });
    expect(isoFromMicros(full.ts)).toBe('2026-05-28T10:21:04.500Z');
    expect(one('1779963664.500000 k8s02 systemd[1]: Stopping').quality).toBe('exact');
  });
});

describe('RFC5424', () => {
  it('reads PRI, version, nil fields, structured data with escapes and the BOM', () => {
    const r = parseText(syslogFormat, readFixture('rfc5424.log'), { host: 'fallback' });
    expect(r.unparsed).toEqual([]);
    const [a, b, c] = r.events;
    expect(a).toMatchObject({ host: 'k8s02', program: 'kubelet', pid: 2345, priority: 5, quality: 'exact', precision: 1000, msg: 'MountVolume.SetUp failed' });
    expect(a!.data).toEqual({ msgid: 'VOLUME', sd: { 'meta@32473': { pod: 'openebs/pvc-1', node: 'k8s02' } } });
    expect(isoFromMicros(a!.ts)).toBe('2026-05-28T10:20:05.148Z');
    expect(b).toMatchObject({ host: 'fallback', program: 'iscsid', pid: undefined, priority: 3, msg: 'session recovery timed out' });
    expect(b!.data).toBeUndefined();
    expect(c).toMatchObject({ host: 'k8s03', program: 'app', quality: 'none', msg: 'no time' });
    expect(Number.isNaN(c!.ts)).toBe(true);
    expect(c!.data).toEqual({ sd: { 'a@1': { x: 'q"uote]' }, 'b@2': { y: '2' } } });
  });

  it('accepts RFC5424 without PRI', () => {
    expect(one('1 2026-05-28T10:21:04Z h app 12 - - hello')).toMatchObject({ host: 'h', program: 'app', pid: 12, msg: 'hello' });
  });
});

describe('journal text output', () => {
  it('understands markers (boot id in data) and kernel lines of journalctl -k', () => {
    const r = parseText(journalFormat, readFixture('journal-k-short-precise.txt'));
    expect(r.unparsed).toEqual([]);
    expect(r.events).toHaveLength(7);
    expect(r.events[0]).toMatchObject({ quality: 'none', data: { marker: 'begin' }, format: 'journal' });
    expect(r.events[3]).toMatchObject({ msg: '-- Reboot --', data: { marker: 'reboot' } });
    expect(r.events[4]).toMatchObject({ msg: '-- Boot 1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6 --', data: { boot: '1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6' } });
    expect(r.events[6]).toMatchObject({ program: 'kernel', host: 'k8s02', precision: 1 });
    expect(isoFromMicros(r.events[6]!.ts)).toBe('2026-05-28T20:22:07.002871Z');
  });

  it('reads short-monotonic as relative time with host and tag', () => {
    const r = parseText(journalFormat, readFixture('journal-short-monotonic.txt'));
    expect(r.unparsed).toEqual([]);
    expect(r.events[3]).toMatchObject({ quality: 'relative', mono: 1585.0021, host: 'k8s02', program: 'iscsid', pid: 1021 });
    expect(Number.isNaN(r.events[3]!.ts)).toBe(true);
    expect(r.events[4]!.klog?.severity).toBe('E');
  });

  it('plain syslog does not take short-monotonic lines (they would swallow raw dmesg)', () => {
    expect(parseLines(syslogFormat, ['[ 1.000000] k8s02 kernel: x']).unparsed).toEqual([1]);
  });
});

describe('kern.log', () => {
  it('stamps kern.log events and keeps mono for boot anchoring', () => {
    const r = parseText(kernLogFormat, readFixture('kern.log'));
    expect(r.unparsed).toEqual([]);
    expect(r.events).toHaveLength(8);
    expect(r.events.every((e) => e.format === 'kern.log')).toBe(true);
    expect(r.events.filter((e) => e.mono !== undefined)).toHaveLength(7);
    expect(r.events[3]!.program).toBe('iscsid');
    expect(r.events[3]!.mono).toBeUndefined();
  });
});

describe.skipIf(!haveReal)('real syslog samples (../shared/realdata/syslog)', () => {
  it('loghub-linux: 2000 records, CRLF, no final newline, pam idents, syslogd without pid, Jun-Jul without year', () => {
    const text = readReal('syslog/loghub-linux-2k.log.txt');
    expect(text.endsWith('\n')).toBe(false);
    const lines = splitLines(text);
    expect(lines).toHaveLength(2000);
    const r = parseLines(syslogFormat, lines, { year: 2005 });
    expect(r.unparsed).toEqual([]);
    expect(r.events).toHaveLength(2000);
    const first = r.events[0]!;
    expect(first).toMatchObject({ host: 'combo', program: 'sshd(pam_unix)', pid: 19939, line: 1 });
    expect(first.msg).toBe('authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 ');
    expect(first.text.includes('\r')).toBe(false);
    expect(isoFromMicros(first.ts)).toBe('2005-06-14T15:16:01.000Z');
    expect(r.events[145]).toMatchObject({ program: 'syslogd 1.4.1', pid: undefined, msg: 'restart.', line: 146 });
    expect(r.events[1910]).toMatchObject({ program: 'kernel', msg: expect.stringMatching(/^Linux version 2\.6\.5-1\.358/) });
    const last = r.events[1999]!;
    expect(last).toMatchObject({ line: 2000, program: 'kernel', msg: 'Linux agpgart interface v0.100 (c) Dave Jones' });
    expect(isoFromMicros(last.ts)).toBe('2005-07-27T14:42:00.000Z');
    // Jun then Jul of one year: never a New Year crossing.
    expect(r.events.every((e) => new Date(e.ts / 1000).getUTCFullYear() === 2005)).toBe(true);
    expect(r.events.every((e) => e.quality === 'year-inferred')).toBe(true);
  });

  it('loghub-openssh: 2000 records, sshd pids, [preauth] suffix kept in msg', () => {
    const r = parseText(syslogFormat, readReal('syslog/loghub-openssh-2k.log.txt'));
    expect(r.unparsed).toEqual([]);
    expect(r.events).toHaveLength(2000);
    expect(r.events[0]).toMatchObject({ host: 'LabSZ', program: 'sshd', pid: 24200 });
    expect(r.events[2]!.msg).toBe('input_userauth_request: invalid user webmaster [preauth]');
    expect(r.events[1999]).toMatchObject({ pid: 25539, msg: 'Failed password for invalid user user from 103.99.0.122 port 52683 ssh2' });
  });
});
if (!haveReal) console.warn('parsers/syslog: ../shared/realdata missing, real-sample tests skipped');
