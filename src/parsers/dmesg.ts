import type { LogEvent } from '../model/event.js';
import type { TimeQuality } from '../model/time.js';
import { monthNumber } from '../time/months.js';
import { zoneClock, type ZoneClock } from '../time/zone.js';
import { fracMicros, fracPrecision, levelPriority, understoodShare, utcMicros, zoneOffsetMinutes } from './fields.js';
import type { FormatParser, LineParser, ParseContext } from './types.js';

// `[ 1234.567890] msg`: seconds since boot, left-padded (`-r` adds `<6>` before it).
const RAW = /^(?:<(\d{1,3})>)?\[\s*(\d+)\.(\d+)\] ?(.*)$/s;
// `[Thu May 28 20:21:09 2026] msg` (dmesg -T, ctime in the local zone).
const CTIME = /^\[[A-Z][a-z]{2} ([A-Z][a-z]{2}) ([ \d]?\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})\] ?(.*)$/s;
// `kern  :err   : [ 1234.567890] msg` (dmesg -x), also with -T or without a stamp (-t).
const DECODED =
  /^([a-z]+[0-7]?) *:([a-z]+) *: (?:\[\s*(\d+)\.(\d+)\] ?|\[[A-Z][a-z]{2} ([A-Z][a-z]{2}) ([ \d]?\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})\] ?)?(.*)$/s;
// `2026-05-28T20:21:09,123456+10:00 msg` (dmesg --time-format iso).
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2}),(\d{6})([+-]\d{2}:?\d{2}|Z) ?(.*)$/s;

const FACILITIES = new Set(['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7']);

/**
 * `dmesg` output: raw (`[ 1234.567890] msg`), `-r` (`<6>[...]`), `-T` (`[Thu May 28 20:21:09 2026] msg`,
 * read in the configured zone), `-x` (`kern  :err   : [...] msg`, priority from the level) and
 * `--time-format iso`. Indented lines continue the previous message (one multi-line event).
 */
class DmesgParser implements LineParser {
  private readonly clock: ZoneClock;
  private pending: LogEvent | undefined;

  constructor(
    private readonly ctx: ParseContext,
    private readonly emit: (e: LogEvent) => void,
  ) {
    this.clock = zoneClock(ctx.tz);
  }

  line(text: string, lineNo: number, offset: number): boolean {
    const c = text.charCodeAt(0);
    let e: LogEvent | undefined;
    if (c === 91 /* [ */ || c === 60 /* < */) {
      const d = text.charCodeAt(1);
      e = (d >= 65 && d <= 90) ? this.ctime(text, lineNo, offset) : this.raw(text, lineNo, offset);
    } else if (c >= 97 && c <= 122) e = this.decoded(text, lineNo, offset);
    else if (c >= 48 && c <= 57) e = this.iso(text, lineNo, offset);
    else if ((c === 32 || c === 9) && this.pending && text.trim() !== '') {
      // An indented line continues a multi-line kernel message.
      const p = this.pending;
      p.lines = lineNo - p.line + 1;
      p.text += `\n${text}`;
      p.msg += `\n${text.trim()}`;
      return true;
    }
    if (!e) return false;
    if (this.pending) this.emit(this.pending);
    this.pending = e;
    return true;
  }

  end(): void {
    if (this.pending) this.emit(this.pending);
    this.pending = undefined;
  }

  private make(text: string, line: number, offset: number, ts: number, quality: TimeQuality, precision: number, msg: string): LogEvent {
    return {
      ts,
      quality,
      precision,
      host: this.ctx.host ?? 'unknown',
      file: this.ctx.file,
      line,
      lines: 1,
      offset,
      format: 'dmesg',
      text,
      msg,
      program: 'kernel',
    };
  }

  private raw(text: string, line: number, offset: number): LogEvent | undefined {
    const m = RAW.exec(text);
    if (!m) return undefined;
    // Wall time is unknown until the time-alignment stage finds this host's boot time.
    const e = this.make(text, line, offset, NaN, 'relative', fracPrecision(m[3]), m[4]);
    e.mono = Number(`${m[2]}.${m[3]}`);
    if (m[1] !== undefined) e.priority = Number(m[1]) & 7;
    return e;
  }

  private ctime(text: string, line: number, offset: number): LogEvent | undefined {
    const m = CTIME.exec(text);
    if (!m) return undefined;
    const mo = monthNumber(m[1]);
    if (mo === 0) return undefined;
    const ts = this.clock.toUtc(Number(m[6]), mo, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
    return this.make(text, line, offset, ts, 'zone-assumed', 1_000_000, m[7]);
  }

  private decoded(text: string, line: number, offset: number): LogEvent | undefined {
    const m = DECODED.exec(text);
    if (!m || !FACILITIES.has(m[1])) return undefined;
    const pri = levelPriority(m[2]);
    if (pri === undefined) return undefined;
    let e: LogEvent;
    if (m[3] !== undefined) {
      e = this.make(text, line, offset, NaN, 'relative', fracPrecision(m[4]), m[11]);
      e.mono = Number(`${m[3]}.${m[4]}`);
    } else if (m[5] !== undefined) {
      const mo = monthNumber(m[5]);
      if (mo === 0) return undefined;
      const ts = this.clock.toUtc(Number(m[10]), mo, Number(m[6]), Number(m[7]), Number(m[8]), Number(m[9]));
      e = this.make(text, line, offset, ts, 'zone-assumed', 1_000_000, m[11]);
    } else {
      e = this.make(text, line, offset, NaN, 'none', 0, m[11]);
    }
    e.priority = pri;
    if (m[1] !== 'kern') e.program = undefined;
    e.data = { facility: m[1] };
    return e;
  }

  private iso(text: string, line: number, offset: number): LogEvent | undefined {
    const m = ISO.exec(text);
    if (!m) return undefined;
    const ts = utcMicros(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), fracMicros(m[7]), zoneOffsetMinutes(m[8]));
    return this.make(text, line, offset, ts, 'exact', fracPrecision(m[7]), m[9]);
  }
}

/** `dmesg` output in its raw, `-r`, `-T`, `-x` and `--time-format iso` forms. */
export const dmesgFormat: FormatParser = {
  id: 'dmesg',
  description: 'dmesg (`[ 1234.567890] msg`, -T `[Thu May 28 20:21:09 2026]`, -x `kern  :err   :`, iso): monotonic seconds anchored to wall time later',
  detect(lines) {
    return understoodShare(this, lines);
  },
  create(ctx, emit) {
    return new DmesgParser(ctx, emit);
  },
  samples: [
    { line: '[ 1704.980737] sd 6:0:0:0: [sdf] Synchronizing SCSI cache', program: 'kernel', msg: 'sd 6:0:0:0: [sdf] Synchronizing SCSI cache' },
    { line: '[Thu May 28 20:21:09 2026] sd 5:0:0:1: rejecting I/O to offline device', time: '2026-05-28T20:21:09.000Z', program: 'kernel', msg: 'sd 5:0:0:1: rejecting I/O to offline device' },
    { line: 'kern  :err   : [ 1926.637547] I/O error, dev sde, sector 1676248 op 0x0:(READ) flags 0x0 phys_seg 1 prio class 2', program: 'kernel', msg: 'I/O error, dev sde, sector 1676248 op 0x0:(READ) flags 0x0 phys_seg 1 prio class 2' },
    { line: '<3>[ 1926.637843] Read-error on swap-device (8:64:1676248)', program: 'kernel', msg: 'Read-error on swap-device (8:64:1676248)' },
    { line: '2026-05-28T20:21:09,123456+10:00 EXT4-fs (sdc): I/O error while writing superblock', time: '2026-05-28T10:21:09.123456Z', program: 'kernel', msg: 'EXT4-fs (sdc): I/O error while writing superblock' },
  ],
};
