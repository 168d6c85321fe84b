import type { LogEvent } from '../model/event.js';
import type { TimeQuality } from '../model/time.js';
import { zoneClock, type ZoneClock } from '../time/zone.js';
import { fracMicros, fracPrecision, levelPriority, understoodShare, utcMicros, zoneOffsetMinutes } from './fields.js';
import { attachKlog } from './klog.js';
import { isContinuation, RecordAssembler } from './multiline.js';
import type { FormatParser, LineParser, ParseContext } from './types.js';

// `2026-05-28T10:21:04.123456789Z stderr F message` (CRI / containerd, /var/log/pods/*/*/N.log)
const CRI = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2}) (stdout|stderr) ([FP])(?: (.*))?$/s;
// `2026-05-28 10:21:04,123 ERROR [main] c.x.Y - msg`, `[2026-05-28T10:21:04.123Z] WARN msg`, `2026/05/28 10:21:04 msg`
const APP =
  /^\[?(\d{4})[-/](\d{2})[-/](\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2})?)?\]?(?: +|$)(?:[[(]?(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRIT|CRITICAL|SEVERE|trace|debug|info|notice|warn|warning|error|fatal)[\])]?(?: +|$))?(.*)$/s;

// `.../pods/<ns>_<pod>_<uid>/<container>/N.log` (older kubelets: no uid), rotated suffixes allowed.
const POD_PATH = /(?:^|[/\\])pods[/\\]([^/\\_]+)_([^/\\_]+)(?:_([^/\\_]+))?[/\\]([^/\\]+)[/\\](\d+)\.log(?:\.[^/\\]*)?$/;
// `/var/log/containers/<pod>_<ns>_<container>-<64 hex>.log`
const CONTAINERS_PATH = /(?:^|[/\\])containers[/\\]([^/\\_]+)_([^/\\_]+)_(.+)-[0-9a-f]{64}\.log$/;

/** Kubernetes identity of a container log file from its path, or undefined. */
export function podFromPath(file: string): { namespace: string; pod: string; container: string; restart?: number; uid?: string } | undefined {
  const m = POD_PATH.exec(file);
  if (m) {
    const r: { namespace: string; pod: string; container: string; restart: number; uid?: string } = { namespace: m[1], pod: m[2], container: m[4], restart: Number(m[5]) };
    if (m[3] !== undefined) r.uid = m[3];
    return r;
  }
  const c = CONTAINERS_PATH.exec(file);
  return c ? { namespace: c[2], pod: c[1], container: c[3] } : undefined;
}

function isoFields(m: RegExpExecArray, clock: ZoneClock): { ts: number; quality: TimeQuality } {
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const s = Number(m[6]);
  const us = fracMicros(m[7]);
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 24 && mi <= 59 && s <= 60)) return { ts: NaN, quality: 'none' };
  if (m[8] === undefined) return { ts: clock.toUtc(y, mo, d, h, mi, s, us), quality: 'zone-assumed' };
  return { ts: utcMicros(y, mo, d, h, mi, s, us, zoneOffsetMinutes(m[8])), quality: 'exact' };
}

/**
 * CRI pod logs: each physical line is `time stream F|P text`; `P` parts are joined with the next
 * line, and Java stack traces spread over several lines become one event.
 */
class CriParser implements LineParser {
  private readonly asm: RecordAssembler;
  private readonly clock: ZoneClock;
  private readonly pod: ReturnType<typeof podFromPath>;
  /** Partial (`P`) content waiting for its final part. */
  private partial: { text: string; msg: string; line: number; offset: number; m: RegExpExecArray } | undefined;

  constructor(
    private readonly ctx: ParseContext,
    emit: (e: LogEvent) => void,
  ) {
    this.asm = new RecordAssembler(emit);
    this.clock = zoneClock(ctx.tz);
    this.pod = podFromPath(ctx.file);
  }

  line(text: string, lineNo: number, offset: number): boolean {
    const c = text.charCodeAt(0);
    if (c < 48 || c > 57) return false;
    const m = CRI.exec(text);
    if (!m) return false;
    const part = m[11] ?? '';
    if (this.partial) {
      this.partial.text += `\n${text}`;
      this.partial.msg += part;
    } else {
      this.partial = { text, msg: part, line: lineNo, offset, m };
    }
    if (m[10] === 'P') return true;
    const p = this.partial;
    this.partial = undefined;
    this.logical(p.text, p.msg, p.line, lineNo, p.offset, p.m);
    return true;
  }

  end(): void {
    if (this.partial) {
      const p = this.partial;
      this.partial = undefined;
      this.ctx.warn(p.line, 'CRI partial line (P) without its final part at end of input');
      this.logical(p.text, p.msg, p.line, p.line + p.text.split('\n').length - 1, p.offset, p.m);
    }
    this.asm.flush();
  }

  private logical(text: string, msg: string, line: number, lastLine: number, offset: number, m: RegExpExecArray): void {
    if (this.asm.open && isContinuation(msg) && this.asm.append(text, msg, lastLine)) return;
    const { ts, quality } = isoFields(m, this.clock);
    const e: LogEvent = {
      ts,
      quality,
      precision: fracPrecision(m[7]),
      host: this.ctx.host ?? 'unknown',
      file: this.ctx.file,
      line,
      lines: lastLine - line + 1,
      offset,
      format: 'cri',
      text,
      msg,
      program: this.pod?.container,
      data: this.pod ? { ...this.pod, stream: m[9] } : { stream: m[9] },
    };
    attachKlog(e, this.ctx.tz);
    this.asm.start(e);
  }
}

/** Plain application logs with a leading date-time and optional level; stack traces joined. */
class AppLogParser implements LineParser {
  private readonly asm: RecordAssembler;
  private readonly clock: ZoneClock;
  private readonly program: string | undefined;

  constructor(
    private readonly ctx: ParseContext,
    emit: (e: LogEvent) => void,
  ) {
    this.asm = new RecordAssembler(emit);
    this.clock = zoneClock(ctx.tz);
    this.program = podFromPath(ctx.file)?.container;
  }

  line(text: string, lineNo: number, offset: number): boolean {
    const c = text.charCodeAt(0);
    if ((c >= 48 && c <= 57) || c === 91 /* [ */) {
      const m = APP.exec(text);
      if (m) {
        const { ts, quality } = isoFields(m, this.clock);
        if (quality !== 'none') {
          const e = this.make(text, lineNo, offset, ts, quality, fracPrecision(m[7]), m[10]);
          if (m[9] !== undefined) {
            e.priority = levelPriority(m[9] === 'ERR' ? 'err' : m[9]);
            e.data = { level: m[9].toUpperCase() };
          }
          attachKlog(e, this.ctx.tz);
          this.asm.start(e);
          return true;
        }
      }
    }
    if (isContinuation(text)) {
      if (this.asm.append(text, text, lineNo)) return true;
      if (text.startsWith('Exception in thread ')) {
        // A JVM default-handler trace with nothing before it: its own record, without a time.
        this.asm.start(this.make(text, lineNo, offset, NaN, 'none', 0, text));
        return true;
      }
    }
    return false;
  }

  end(): void {
    this.asm.flush();
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
      format: 'applog',
      text,
      msg,
      program: this.program,
    };
  }
}

/** CRI (containerd / CRI-O) container logs as kept under /var/log/pods and /var/log/containers. */
export const criLogFormat: FormatParser = {
  id: 'cri',
  description: 'CRI pod logs (`2026-05-28T10:21:04.123456789Z stderr F msg`), P parts joined, stack traces as one event',
  detect(lines) {
    return understoodShare(this, lines);
  },
  create(ctx, emit) {
    return new CriParser(ctx, emit);
  },
  samples: [
    {
      line: '2026-05-28T10:21:04.123456789Z stderr F I0528 10:21:04.123400       1 taint_eviction.go:111] "Deleting pod" controller="taint-eviction-controller" pod="openebs/pvc-1"',
      time: '2026-05-28T10:21:04.123456Z',
      host: 'unknown',
      msg: 'I0528 10:21:04.123400       1 taint_eviction.go:111] "Deleting pod" controller="taint-eviction-controller" pod="openebs/pvc-1"',
    },
    { line: '2026-05-28T20:21:04.5+10:00 stdout F ready', time: '2026-05-28T10:21:04.500Z', msg: 'ready' },
  ],
};

/** Application log files whose lines start with a date-time (log4j/logback, Go `log`, Python logging). */
export const appLogFormat: FormatParser = {
  id: 'applog',
  description: 'application logs with a leading date-time and optional level (`2026-05-28 10:21:04,123 ERROR [main] c.x.Y - msg`), stack traces as one event',
  detect(lines) {
    return understoodShare(this, lines);
  },
  create(ctx, emit) {
    return new AppLogParser(ctx, emit);
  },
  samples: [
    { line: '2026-05-28 10:21:04,123 ERROR [main] c.x.Y - Connection refused', time: '2026-05-28T10:21:04.123Z', msg: '[main] c.x.Y - Connection refused' },
    { line: '2026-05-28T20:21:04.123+10:00 WARN  retrying volume attach', time: '2026-05-28T10:21:04.123Z', msg: 'retrying volume attach' },
    { line: '2026/05/28 10:21:04 http: TLS handshake error from 10.1.2.3:51234: EOF', time: '2026-05-28T10:21:04.000Z', msg: 'http: TLS handshake error from 10.1.2.3:51234: EOF' },
    { line: '[2026-05-28 10:21:04.123456] [INFO] server started', time: '2026-05-28T10:21:04.123456Z', msg: 'server started' },
  ],
};
