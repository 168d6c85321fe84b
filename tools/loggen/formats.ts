/**
 * Writers that render one log record into the on-disk shape of a given format.
 *
 * Times are UTC microseconds since the epoch. Local wall-clock fields come from the zone's offset
 * (date-fns-tz `formatInTimeZone`, cached per hour because every zone we use changes offset on an
 * hour boundary), then are formatted by hand: the writers run once per generated line and must stay
 * cheap. Each writer caches its formatted prefix for the current second.
 */
import { formatInTimeZone } from 'date-fns-tz';

/** One log record before rendering. */
export interface LogRecord {
  /** UTC microseconds since the epoch. */
  ts: number;
  host: string;
  /** Syslog identifier / program (`kernel` for kernel lines). */
  program: string;
  pid?: number;
  /** Message text (single line; a multi-line record is written as several records). */
  msg: string;
  /** Syslog severity 0-7 (default 6, info). */
  priority?: number;
  /** Syslog facility number (default: 0 for kernel, 3 daemon otherwise). */
  facility?: number;
  /** systemd unit, for journal JSON. */
  unit?: string;
}

/** Names of the formats a {@link makeWriter} can render. */
export type FormatName =
  | 'rfc3164'
  | 'rfc3339'
  | 'rfc5424'
  | 'kern.log'
  | 'dmesg'
  | 'dmesg-T'
  | 'short-iso'
  | 'short-precise'
  | 'journal-json'
  | 'cri'
  | 'plain';

/** Options of a writer. */
export interface WriterOptions {
  /** IANA zone for formats that print local time (default UTC). */
  tz?: string;
  /** Boot time (UTC µs) for kernel monotonic stamps (kern.log, dmesg, journal JSON). */
  bootTs?: number;
  /** kern.log only: print the `[ mono]` stamp (default true). */
  mono?: boolean;
  /** rsyslog's default control-character escaping (`\t` -> `#011`); default true for rsyslog formats. */
  escapeControl?: boolean;
  /** journal JSON: boot id (32 hex) and machine id (32 hex). */
  bootId?: string;
  machineId?: string;
  /** journal JSON: first sequence number for cursors. */
  seqnum?: number;
  /** cri: stream name (default stdout). */
  stream?: 'stdout' | 'stderr';
}

/** Renders one record as one line, without the line end. */
export type Writer = (rec: LogRecord) => string;

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DOW = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function p2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}
function p6(n: number): string {
  return String(n).padStart(6, '0');
}

/** Wall-clock fields of an instant in a zone. */
export interface LocalParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Microseconds within the second. */
  micro: number;
  /** 0 = Sunday. */
  dow: number;
  /** Offset from UTC in minutes (+600 for AEST). */
  offsetMin: number;
}

/** Converts UTC instants into wall-clock fields of one zone, caching the offset per hour. */
export class ZoneClock {
  private hourKey = NaN;
  private offMs = 0;
  private readonly utc: boolean;

  constructor(readonly tz: string) {
    this.utc = tz === 'UTC' || tz === 'Etc/UTC';
  }

  /** Offset of the zone at `ts` (UTC µs) in milliseconds. */
  offsetMs(ts: number): number {
    if (this.utc) return 0;
    const key = Math.floor(ts / 3_600_000_000);
    if (key !== this.hourKey) {
      this.hourKey = key;
      // formatInTimeZone, not getTimezoneOffset: the latter returned the wrong side of a DST change
      // (date-fns-tz 3.2, America/Chicago 2026-03-08).
      const x = formatInTimeZone(new Date(key * 3_600_000), this.tz, 'xxx');
      const sign = x.startsWith('-') ? -1 : 1;
      this.offMs = sign * (Number(x.slice(1, 3)) * 60 + Number(x.slice(4, 6))) * 60_000;
    }
    return this.offMs;
  }

  /** Wall-clock fields of `ts` (UTC µs). */
  parts(ts: number): LocalParts {
    const off = this.offsetMs(ts);
    const ms = Math.floor(ts / 1000);
    const d = new Date(ms + off);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      micro: ts - Math.floor(ts / 1_000_000) * 1_000_000,
      dow: d.getUTCDay(),
      offsetMin: Math.round(off / 60000),
    };
  }
}

function offsetStr(min: number, colon: boolean, zForZero: boolean): string {
  if (min === 0 && zForZero) return 'Z';
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `${sign}${p2(Math.floor(a / 60))}${colon ? ':' : ''}${p2(a % 60)}`;
}

/** `May 28 20:21:04` (day space-padded, RFC 3164). */
export function rfc3164Stamp(p: LocalParts): string {
  return `${MON[p.month - 1]} ${p.day < 10 ? ' ' : ''}${p.day} ${p2(p.hour)}:${p2(p.minute)}:${p2(p.second)}`;
}

/** `2026-05-28T20:21:04` local. */
function isoLocal(p: LocalParts): string {
  return `${p.year}-${p2(p.month)}-${p2(p.day)}T${p2(p.hour)}:${p2(p.minute)}:${p2(p.second)}`;
}

/** Kernel monotonic stamp as printk prints it: `[ 1234.567890]` (seconds right-aligned in 5). */
export function monoStamp(monoUs: number): string {
  const us = Math.max(0, Math.round(monoUs));
  const s = Math.floor(us / 1_000_000);
  return `[${String(s).padStart(5, ' ')}.${p6(us - s * 1_000_000)}]`;
}

/** klog header time `0528 20:21:04.123456` in a zone. */
export function klogStamp(p: LocalParts): string {
  return `${p2(p.month)}${p2(p.day)} ${p2(p.hour)}:${p2(p.minute)}:${p2(p.second)}.${p6(p.micro)}`;
}

function ident(rec: LogRecord): string {
  return rec.pid === undefined ? `${rec.program}:` : `${rec.program}[${rec.pid}]:`;
}

function escapeCtl(msg: string): string {
  if (msg.indexOf('\t') < 0) return msg;
  return msg.replace(/\t/g, '#011');
}

/** Facility for a program, used by RFC 5424 PRI and journal JSON. */
export function facilityOf(rec: LogRecord): number {
  if (rec.facility !== undefined) return rec.facility;
  if (rec.program === 'kernel') return 0;
  if (rec.program === 'CRON') return 9;
  if (rec.program === 'sshd' || rec.program === 'sudo') return 10;
  return 3;
}

/**
 * Returns a writer for `format`. Writers are stateful (per-second prefix cache; journal cursors),
 * so use one writer per output file.
 */
export function makeWriter(format: FormatName, opts: WriterOptions = {}): Writer {
  const clock = new ZoneClock(opts.tz ?? 'UTC');
  const esc = opts.escapeControl ?? true;
  const bootTs = opts.bootTs ?? 0;
  let lastSec = NaN;
  let cached = '';
  const sec = (ts: number): number => Math.floor(ts / 1_000_000);

  switch (format) {
    case 'rfc3164':
      return (r) => {
        const s = sec(r.ts);
        if (s !== lastSec) {
          lastSec = s;
          cached = rfc3164Stamp(clock.parts(r.ts));
        }
        return `${cached} ${r.host} ${ident(r)} ${esc ? escapeCtl(r.msg) : r.msg}`;
      };
    case 'rfc3339':
      return (r) => {
        const s = sec(r.ts);
        if (s !== lastSec) {
          lastSec = s;
          cached = isoLocal(clock.parts(r.ts));
        }
        const off = offsetStr(Math.round(clock.offsetMs(r.ts) / 60000), true, false);
        return `${cached}.${p6(r.ts - s * 1_000_000)}${off} ${r.host} ${ident(r)} ${esc ? escapeCtl(r.msg) : r.msg}`;
      };
    case 'rfc5424':
      return (r) => {
        const s = sec(r.ts);
        if (s !== lastSec) {
          lastSec = s;
          cached = isoLocal(clock.parts(r.ts));
        }
        const off = offsetStr(Math.round(clock.offsetMs(r.ts) / 60000), true, true);
        const pri = facilityOf(r) * 8 + (r.priority ?? 6);
        return `<${pri}>1 ${cached}.${p6(r.ts - s * 1_000_000)}${off} ${r.host} ${r.program} ${r.pid ?? '-'} - - ${esc ? escapeCtl(r.msg) : r.msg}`;
      };
    case 'kern.log': {
      const withMono = opts.mono ?? true;
      return (r) => {
        const s = sec(r.ts);
        if (s !== lastSec) {
          lastSec = s;
          cached = rfc3164Stamp(clock.parts(r.ts));
        }
        const m = esc ? escapeCtl(r.msg) : r.msg;
        return withMono ? `${cached} ${r.host} kernel: ${monoStamp(r.ts - bootTs)} ${m}` : `${cached} ${r.host} kernel: ${m}`;
      };
    }
    case 'dmesg':
      return (r) => `${monoStamp(r.ts - bootTs)} ${r.msg}`;
    case 'dmesg-T':
      return (r) => {
        const s = sec(r.ts);
        if (s !== lastSec) {
          lastSec = s;
          const p = clock.parts(r.ts);
          cached = `[${DOW[p.dow]} ${MON[p.month - 1]} ${p.day < 10 ? ' ' : ''}${p.day} ${p2(p.hour)}:${p2(p.minute)}:${p2(p.second)} ${p.year}]`;
        }
        return `${cached} ${r.msg}`;
      };
    case 'short-iso':
      return (r) => {
        const s = sec(r.ts);
        if (s !== lastSec) {
          lastSec = s;
          const p = clock.parts(r.ts);
          cached = `${isoLocal(p)}${offsetStr(p.offsetMin, false, false)}`;
        }
        return `${cached} ${r.host} ${ident(r)} ${r.msg}`;
      };
    case 'short-precise':
      return (r) => {
        const s = sec(r.ts);
        if (s !== lastSec) {
          lastSec = s;
          const p = clock.parts(r.ts);
          // journalctl pads the day with a zero, unlike RFC 3164.
          cached = `${MON[p.month - 1]} ${p2(p.day)} ${p2(p.hour)}:${p2(p.minute)}:${p2(p.second)}`;
        }
        return `${cached}.${p6(r.ts - s * 1_000_000)} ${r.host} ${ident(r)} ${r.msg}`;
      };
    case 'journal-json': {
      const bootId = opts.bootId ?? '0'.repeat(32);
      const machineId = opts.machineId ?? 'f'.repeat(32);
      let seq = opts.seqnum ?? 1;
      const seqId = `${machineId.slice(0, 16)}${bootId.slice(16)}`;
      // Built as a template (not JSON.stringify of an object): this runs once per bench line.
      const fixed = `"_BOOT_ID":"${bootId}","_MACHINE_ID":"${machineId}"`;
      return (r) => {
        const mono = Math.max(0, Math.round(r.ts - bootTs));
        const n = seq++;
        const t = Math.round(r.ts);
        const kernel = r.program === 'kernel';
        let o = `{"__CURSOR":"s=${seqId};i=${n.toString(16)};b=${bootId};m=${mono.toString(16)};t=${t.toString(16)};x=${((n * 2654435761) >>> 0).toString(16)}","__REALTIME_TIMESTAMP":"${t}","__MONOTONIC_TIMESTAMP":"${mono}",${fixed},"_HOSTNAME":${JSON.stringify(r.host)},"PRIORITY":"${r.priority ?? 6}","SYSLOG_FACILITY":"${facilityOf(r)}","SYSLOG_IDENTIFIER":${JSON.stringify(r.program)},"_TRANSPORT":"${kernel ? 'kernel' : 'stdout'}"`;
        if (!kernel) {
          o += ',"_UID":"0","_GID":"0"';
          if (r.pid !== undefined) o += `,"_PID":"${r.pid}"`;
          o += `,"_COMM":${JSON.stringify(r.program.split('.').pop() ?? r.program)}`;
          if (r.unit) o += `,"_SYSTEMD_UNIT":${JSON.stringify(r.unit)}`;
        }
        return `${o},"MESSAGE":${JSON.stringify(r.msg)}}`;
      };
    }
    case 'cri': {
      const stream = opts.stream ?? 'stdout';
      return (r) => {
        const s = sec(r.ts);
        const iso = new Date(s * 1000).toISOString().slice(0, 19);
        return `${iso}.${p6(r.ts - s * 1_000_000)}000Z ${stream} F ${r.msg}`;
      };
    }
    case 'plain':
      return (r) => r.msg;
  }
}

/** Logback-style app timestamp `2026-05-28 20:21:04,123` in a zone (pod logs). */
export function appStamp(clock: ZoneClock, ts: number): string {
  const p = clock.parts(ts);
  return `${p.year}-${p2(p.month)}-${p2(p.day)} ${p2(p.hour)}:${p2(p.minute)}:${p2(p.second)},${String(Math.floor(p.micro / 1000)).padStart(3, '0')}`;
}

/** containerd / logrus `time="..."` value: RFC 3339 with nanoseconds, UTC (`Z`). */
export function logrusUtc(ts: number): string {
  const s = Math.floor(ts / 1_000_000);
  const iso = new Date(s * 1000).toISOString().slice(0, 19);
  return `${iso}.${p6(ts - s * 1_000_000)}${String(((ts % 1000) * 7) % 1000).padStart(3, '0')}Z`;
}

/** logrus `time="..."` value with local offset and no fraction (`2026-05-28T20:10:01+10:00`). */
export function logrusLocal(clock: ZoneClock, ts: number): string {
  const p = clock.parts(ts);
  return `${isoLocal(p)}${offsetStr(p.offsetMin, true, true)}`;
}
