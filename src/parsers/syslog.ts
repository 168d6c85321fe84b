import type { FormatId, LogEvent } from '../model/event.js';
import type { TimeQuality } from '../model/time.js';
import { monthNumber } from '../time/months.js';
import { zoneClock, type ZoneClock } from '../time/zone.js';
import { ISO_SRC, TAG_SRC, fracMicros, fracPrecision, splitMono, trialParse, utcMicros, zoneOffsetMinutes } from './fields.js';
import { parseJournalMarker } from './journal-marker.js';
import { attachKlog } from './klog.js';
import { parseStructuredData } from './rfc5424.js';
import type { FormatParser, LineParser, ParseContext } from './types.js';

export { splitMono } from './fields.js';

// Header and tag in one anchored regex per line shape; the first byte picks the shape.
// `<13>May  8 20:21:04.123456 k8s02 prog[123]: msg` (RFC3164, journalctl short / short-precise)
const RFC3164 = new RegExp(String.raw`^(?:<(\d{1,3})>)?([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))? (\S+)(?: |$)${TAG_SRC}(.*)$`, 's');
// `2026-05-28T20:21:04.123456+10:00 k8s02 prog[123]: msg` (rsyslog RFC3339, journalctl short-iso[-precise])
const RFC3339 = new RegExp(String.raw`^(?:<(\d{1,3})>)?${ISO_SRC} (\S+)(?: |$)${TAG_SRC}(.*)$`, 's');
// `<34>1 2026-05-28T10:21:04.1Z host app procid msgid [sd] msg` (RFC5424; PRI optional here)
const RFC5424 = new RegExp(
  String.raw`^(?:<(\d{1,3})>)?1 (?:-|${ISO_SRC}) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]"\\]|\\.|"(?:[^"\\]|\\.)*")*\])+)(?: (.*))?$`,
  's',
);
// `Thu 2026-05-28 20:21:04.123456 AEST host prog[pid]: msg` (journalctl short-full)
const SHORT_FULL = new RegExp(String.raw`^[A-Z][a-z]{2} (\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))? ([A-Za-z][\w+-]*) (\S+)(?: |$)${TAG_SRC}(.*)$`, 's');
// `1716890464.123456 host prog[pid]: msg` (journalctl short-unix)
const SHORT_UNIX = new RegExp(String.raw`^(\d{9,11})\.(\d{1,6}) (\S+)(?: |$)${TAG_SRC}(.*)$`, 's');
// `[ 1234.567890] host prog[pid]: msg` (journalctl short-monotonic)
const SHORT_MONO = new RegExp(String.raw`^\[\s*(\d+)\.(\d{1,9})\] (\S+)(?: |$)${TAG_SRC}(.*)$`, 's');

/** Splits `prog[pid]: msg` into parts; `program` is undefined when the rest has no tag. */
export function splitTag(rest: string): { program?: string; pid?: number; msg: string } {
  const t = TAG_ONLY.exec(rest);
  if (!t || t[1] === undefined) return { msg: rest };
  return { program: t[1], pid: t[2] === undefined ? undefined : Number(t[2]), msg: t[3] };
}
const TAG_ONLY = new RegExp(`^${TAG_SRC}(.*)$`, 's');

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Options of {@link SyslogFamilyParser}. */
export interface SyslogFamilyOptions {
  /** Format id stamped on events. */
  format: FormatId;
  /** Accept journalctl `short-monotonic` lines (`[ 1.2] host prog: msg`); off for plain syslog where they would swallow raw dmesg. */
  monotonic?: boolean;
}

/**
 * Line parser of the syslog family: RFC3164 (with optional PRI and fraction), RFC3339 high-precision,
 * RFC5424, the journalctl `short*` outputs and journal marker lines (`-- Boot id --`). Kernel lines
 * have their `[mono]` stamp split off; klog headers in messages are attached and refine the time.
 */
export class SyslogFamilyParser implements LineParser {
  private readonly clock: ZoneClock;
  private year: number;
  private lastMonth = 0;

  constructor(
    private readonly ctx: ParseContext,
    private readonly emit: (e: LogEvent) => void,
    private readonly opts: SyslogFamilyOptions,
  ) {
    this.clock = zoneClock(ctx.tz);
    this.year = ctx.year;
  }

  line(text: string, lineNo: number, offset: number): boolean {
    let c = text.charCodeAt(0);
    let i = 0;
    if (c === 60 /* < */) {
      i = text.indexOf('>', 1) + 1;
      if (i <= 1 || i > 5) return false;
      c = text.charCodeAt(i);
    }
    if (c >= 65 && c <= 90) {
      // `Thu 2026-...` (short-full) has a digit after the weekday, RFC3164 a day number after a space.
      if (text.charCodeAt(i + 3) === 32 && text.charCodeAt(i + 8) === 45 && isDigit(text.charCodeAt(i + 4))) return this.shortFull(text, lineNo, offset);
      return this.rfc3164(text, lineNo, offset);
    }
    if (isDigit(c)) {
      if (c === 49 /* 1 */ && text.charCodeAt(i + 1) === 32) return this.rfc5424(text, lineNo, offset);
      if (text.charCodeAt(i + 4) === 45 /* - */) return this.rfc3339(text, lineNo, offset);
      if (i === 0) return this.shortUnix(text, lineNo, offset);
      return false;
    }
    if (c === 45 /* - */ && i === 0) return this.marker(text, lineNo, offset);
    if (c === 91 /* [ */ && i === 0 && this.opts.monotonic) return this.shortMono(text, lineNo, offset);
    return false;
  }

  end(): void {}

  private rfc3164(text: string, lineNo: number, offset: number): boolean {
    const m = RFC3164.exec(text);
    if (!m) return false;
    const month = monthNumber(m[2]);
    if (month === 0) return false;
    // A file whose months go backwards (Dec then Jan) has crossed a new year.
    if (this.lastMonth === 12 && month === 1) this.year++;
    this.lastMonth = month;
    const ts = this.clock.toUtc(this.year, month, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), fracMicros(m[7]));
    this.push(text, lineNo, offset, ts, 'year-inferred', fracPrecision(m[7]), m[8], m[9], m[10], m[11], m[1]);
    return true;
  }

  private rfc3339(text: string, lineNo: number, offset: number): boolean {
    const m = RFC3339.exec(text);
    if (!m) return false;
    const y = Number(m[2]);
    const mo = Number(m[3]);
    const d = Number(m[4]);
    const us = fracMicros(m[8]);
    let ts: number;
    let quality: TimeQuality;
    if (m[9] === undefined) {
      ts = this.clock.toUtc(y, mo, d, Number(m[5]), Number(m[6]), Number(m[7]), us);
      quality = 'zone-assumed';
    } else {
      ts = utcMicros(y, mo, d, Number(m[5]), Number(m[6]), Number(m[7]), us, zoneOffsetMinutes(m[9]));
      quality = 'exact';
    }
    this.push(text, lineNo, offset, ts, quality, fracPrecision(m[8]), m[10], m[11], m[12], m[13], m[1]);
    return true;
  }

  private rfc5424(text: string, lineNo: number, offset: number): boolean {
    const m = RFC5424.exec(text);
    if (!m) return false;
    let ts = NaN;
    let quality: TimeQuality = 'none';
    let precision = 0;
    if (m[2] !== undefined) {
      const us = fracMicros(m[8]);
      precision = fracPrecision(m[8]);
      if (m[9] === undefined) {
        ts = this.clock.toUtc(Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]), us);
        quality = 'zone-assumed';
      } else {
        ts = utcMicros(Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]), us, zoneOffsetMinutes(m[9]));
        quality = 'exact';
      }
    }
    const host = m[10] === '-' ? undefined : m[10];
    const app = m[11] === '-' ? undefined : m[11];
    const procid = m[12];
    const pid = /^\d{1,10}$/.test(procid) ? Number(procid) : undefined;
    let msg = m[15] ?? '';
    if (msg.charCodeAt(0) === 0xfeff) msg = msg.slice(1);
    const data: Record<string, unknown> = {};
    if (m[13] !== '-') data.msgid = m[13];
    if (procid !== '-' && pid === undefined) data.procid = procid;
    if (m[14] !== '-') data.sd = parseStructuredData(m[14]);
    const e = this.base(text, lineNo, offset, ts, quality, precision, host);
    e.msg = msg;
    e.program = app;
    e.pid = pid;
    if (m[1] !== undefined) e.priority = Number(m[1]) & 7;
    if (Object.keys(data).length > 0) e.data = data;
    if (app === 'kernel') this.kernelMono(e);
    attachKlog(e, this.ctx.tz);
    this.emit(e);
    return true;
  }

  private shortFull(text: string, lineNo: number, offset: number): boolean {
    const m = SHORT_FULL.exec(text);
    if (!m) return false;
    const f = [1, 2, 3, 4, 5, 6].map((k) => Number(m[k]));
    const us = fracMicros(m[7]);
    const zone = m[8];
    const utc = zone === 'UTC' || zone === 'GMT' || zone === 'Z';
    const ts = utc ? utcMicros(f[0], f[1], f[2], f[3], f[4], f[5], us, 0) : this.clock.toUtc(f[0], f[1], f[2], f[3], f[4], f[5], us);
    // A zone abbreviation (AEST, CEST) is ambiguous: the configured zone is used.
    this.push(text, lineNo, offset, ts, utc ? 'exact' : 'zone-assumed', fracPrecision(m[7]), m[9], m[10], m[11], m[12], undefined);
    return true;
  }

  private shortUnix(text: string, lineNo: number, offset: number): boolean {
    const m = SHORT_UNIX.exec(text);
    if (!m) return false;
    const ts = Number(m[1]) * 1_000_000 + fracMicros(m[2]);
    this.push(text, lineNo, offset, ts, 'exact', fracPrecision(m[2]), m[3], m[4], m[5], m[6], undefined);
    return true;
  }

  private shortMono(text: string, lineNo: number, offset: number): boolean {
    const m = SHORT_MONO.exec(text);
    if (!m) return false;
    const e = this.base(text, lineNo, offset, NaN, 'relative', fracPrecision(m[2]), m[3]);
    e.mono = Number(`${m[1]}.${m[2]}`);
    e.program = m[4];
    e.pid = m[5] === undefined ? undefined : Number(m[5]);
    e.msg = m[6];
    attachKlog(e, this.ctx.tz);
    this.emit(e);
    return true;
  }

  private marker(text: string, lineNo: number, offset: number): boolean {
    const mk = parseJournalMarker(text);
    if (!mk) return false;
    const e = this.base(text, lineNo, offset, NaN, 'none', 0, undefined);
    e.msg = text.trim();
    if (mk.boot) e.data = { boot: mk.boot };
    else e.data = { marker: mk.kind };
    this.emit(e);
    return true;
  }

  private base(text: string, line: number, offset: number, ts: number, quality: TimeQuality, precision: number, host: string | undefined): LogEvent {
    return {
      ts,
      quality,
      precision,
      host: host ?? this.ctx.host ?? 'unknown',
      file: this.ctx.file,
      line,
      lines: 1,
      offset,
      format: this.opts.format,
      text,
      msg: '',
    };
  }

  private push(
    text: string, line: number, offset: number, ts: number, quality: TimeQuality, precision: number,
    host: string, program: string | undefined, pid: string | undefined, msg: string, pri: string | undefined,
  ): void {
    const e = this.base(text, line, offset, ts, quality, precision, host);
    e.msg = msg;
    e.program = program;
    e.pid = pid === undefined ? undefined : Number(pid);
    if (pri !== undefined) e.priority = Number(pri) & 7;
    if (program === 'kernel') this.kernelMono(e);
    attachKlog(e, this.ctx.tz);
    this.emit(e);
  }

  private kernelMono(e: LogEvent): void {
    if (e.msg.charCodeAt(0) !== 91) return;
    const s = splitMono(e.msg);
    if (s.mono !== undefined) {
      e.mono = s.mono;
      e.msg = s.msg;
    }
  }
}

const LEVEL_WORDS = new Set(['TRACE', 'DEBUG', 'INFO', 'NOTICE', 'WARN', 'WARNING', 'ERROR', 'ERR', 'FATAL', 'CRITICAL', 'SEVERE', 'stdout', 'stderr']);

/**
 * Detection score of a syslog-family trial parse. Lines that start with an ISO time parse as RFC3339
 * syslog whatever follows, so they only count when they carry a tag and the "host" is not a level
 * word: application logs (`2026-05-28 10:21:04,123 ERROR [main] ...`) stay with their own format.
 */
export function syslogDetectScore(r: { understood: number; total: number; events: readonly LogEvent[] }): number {
  if (r.total === 0) return 0;
  let doubtful = 0;
  for (const e of r.events) {
    const c = e.text.charCodeAt(0);
    if (c >= 48 && c <= 57 && (e.program === undefined || LEVEL_WORDS.has(e.host))) doubtful++;
  }
  return Math.max(0, r.understood - doubtful) / r.total;
}

/** Syslog as written to /var/log/syslog and /var/log/messages, and journalctl short outputs without markers. */
export const syslogFormat: FormatParser = {
  id: 'syslog',
  description: 'syslog: RFC3164 (`May  8 20:21:04 host prog[pid]: msg`), RFC3339 high-precision, RFC5424, journalctl short/short-precise/short-iso/short-full',
  detect(lines) {
    return syslogDetectScore(trialParse(this, lines));
  },
  create(ctx, emit) {
    return new SyslogFamilyParser(ctx, emit, { format: 'syslog' });
  },
  samples: [
    {
      line: 'May 28 20:21:04 k8s02 microk8s.daemon-kubelite[2345]: I0528 20:21:04.123456    2345 taint_eviction.go:111] "Deleting pod"',
      time: '2026-05-28T20:21:04.123456Z',
      host: 'k8s02',
      program: 'microk8s.daemon-kubelite',
      msg: 'I0528 20:21:04.123456    2345 taint_eviction.go:111] "Deleting pod"',
    },
    { line: 'Jul  1 09:00:55 combo kernel: Linux version 2.6.5-1.358', time: '2026-07-01T09:00:55.000Z', host: 'combo', program: 'kernel', msg: 'Linux version 2.6.5-1.358' },
    { line: 'Jun 14 15:16:01 combo sshd(pam_unix)[19939]: check pass; user unknown', time: '2026-06-14T15:16:01.000Z', host: 'combo', program: 'sshd(pam_unix)', msg: 'check pass; user unknown' },
    { line: 'Jun 15 04:06:18 combo syslogd 1.4.1: restart.', time: '2026-06-15T04:06:18.000Z', host: 'combo', program: 'syslogd 1.4.1', msg: 'restart.' },
    { line: '<30>May 28 20:21:05 k8s02 iscsid: connection1:0 is operational after recovery (1 attempts)', time: '2026-05-28T20:21:05.000Z', host: 'k8s02', program: 'iscsid', msg: 'connection1:0 is operational after recovery (1 attempts)' },
    { line: 'May 28 20:21:04.123456 k8s02 systemd[1]: Started Session 12 of User ubuntu.', time: '2026-05-28T20:21:04.123456Z', host: 'k8s02', program: 'systemd', msg: 'Started Session 12 of User ubuntu.' },
    { line: '2026-05-28T20:21:04.123456+10:00 k8s02 containerd[812]: time="2026-05-28T20:21:04.120000000+10:00" level=info msg="StopPodSandbox"', time: '2026-05-28T10:21:04.123456Z', host: 'k8s02', program: 'containerd', msg: 'time="2026-05-28T20:21:04.120000000+10:00" level=info msg="StopPodSandbox"' },
    { line: '2026-05-28T20:21:04+1000 k8s02 multipathd[655]: sdc: mark as failed', time: '2026-05-28T10:21:04.000Z', host: 'k8s02', program: 'multipathd', msg: 'sdc: mark as failed' },
    { line: '<34>1 2026-05-28T10:21:04.1Z k8s03 kubelet 2345 ID47 [exampleSDID@32473 iut="3" eventSource="Application"] \uFEFFvolume detach failed', time: '2026-05-28T10:21:04.100Z', host: 'k8s03', program: 'kubelet', msg: 'volume detach failed' },
    { line: '<165>1 2026-05-28T10:21:04.003Z mymachine.example.com evntslog - ID47 - BOMAn application event log entry', time: '2026-05-28T10:21:04.003Z', host: 'mymachine.example.com', program: 'evntslog', msg: 'BOMAn application event log entry' },
    { line: 'Thu 2026-05-28 10:21:04 UTC k8s02 sshd[999]: Accepted publickey for ubuntu', time: '2026-05-28T10:21:04.000Z', host: 'k8s02', program: 'sshd', msg: 'Accepted publickey for ubuntu' },
  ],
};
