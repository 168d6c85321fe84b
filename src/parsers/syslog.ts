import type { LogEvent } from '../model/event.js';
import { monthNumber } from '../time/months.js';
import { zoneClock } from '../time/zone.js';
import type { FormatParser, LineParser, ParseContext } from './types.js';

// `<13>May  8 20:21:04 k8s02 prog[123]: msg` — PRI optional, day space-padded, optional fraction.
const RFC3164 =
  /^(?:<(\d{1,3})>)?([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))? (\S+) ?(.*)$/;
// Tag: `prog[123]:`, `sshd(pam_unix)[19939]:`, `syslogd 1.4.1:`, `kernel:`.
const TAG = /^([^\s:[\]]+(?:\([^)]*\))?(?: [\d.]+)?)(?:\[(\d+)\])?: ?(.*)$/s;
// Kernel monotonic stamp at the start of a kernel message: `[ 1234.567890] `.
const MONO = /^\[\s*(\d+\.\d+)\] ?(.*)$/s;

/** Splits `prog[pid]: msg` into parts; `program` is undefined when the rest has no tag. */
export function splitTag(rest: string): { program?: string; pid?: number; msg: string } {
  const t = TAG.exec(rest);
  if (!t) return { msg: rest };
  return { program: t[1], pid: t[2] === undefined ? undefined : Number(t[2]), msg: t[3] };
}

/** Splits a kernel message's leading `[ mono]` stamp off. */
export function splitMono(msg: string): { mono?: number; msg: string } {
  if (msg.charCodeAt(0) !== 91 /* [ */) return { msg };
  const m = MONO.exec(msg);
  return m ? { mono: Number(m[1]), msg: m[2] } : { msg };
}

/** RFC3164 (BSD) syslog as written by rsyslog's default template to /var/log/syslog and /var/log/messages. */
export const syslogFormat: FormatParser = {
  id: 'syslog',
  description: 'RFC3164 syslog (`May  8 20:21:04 host prog[pid]: msg`), no year, no zone',
  detect(lines) {
    if (lines.length === 0) return 0;
    let hit = 0;
    for (const l of lines) if (RFC3164.test(l)) hit++;
    return hit / lines.length;
  },
  create(ctx, emit) {
    return new Rfc3164Parser(ctx, emit);
  },
  samples: [
    {
      line: 'May 28 20:21:04 k8s02 microk8s.daemon-kubelite[2345]: I0528 20:21:04.123456    2345 taint_eviction.go:111] "Deleting pod"',
      time: '2026-05-28T20:21:04.000Z',
      host: 'k8s02',
      program: 'microk8s.daemon-kubelite',
    },
    { line: 'Jul  1 09:00:55 combo kernel: Linux version 2.6.5-1.358', time: '2026-07-01T09:00:55.000Z', host: 'combo', program: 'kernel' },
  ],
};

class Rfc3164Parser implements LineParser {
  private readonly clock;
  private year: number;
  private lastMonth = 0;

  constructor(
    private readonly ctx: ParseContext,
    private readonly emit: (e: LogEvent) => void,
  ) {
    this.clock = zoneClock(ctx.tz);
    this.year = ctx.year;
  }

  line(text: string, lineNo: number, offset: number): boolean {
    const m = RFC3164.exec(text);
    if (!m) return false;
    const month = monthNumber(m[2]);
    if (month === 0) return false;
    // A file whose months go backwards (Dec then Jan) has crossed a new year.
    if (this.lastMonth === 12 && month === 1) this.year++;
    this.lastMonth = month;
    const frac = m[7] ?? '';
    const micros = frac ? Number(frac.padEnd(6, '0')) : 0;
    const ts = this.clock.toUtc(this.year, month, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), micros);
    const { program, pid, msg: tagged } = splitTag(m[9]);
    const { mono, msg } = program === 'kernel' ? splitMono(tagged) : { mono: undefined, msg: tagged };
    this.emit({
      ts,
      quality: 'year-inferred',
      precision: frac ? 10 ** (6 - frac.length) : 1_000_000,
      host: m[8],
      file: this.ctx.file,
      line: lineNo,
      lines: 1,
      offset,
      format: 'syslog',
      text,
      msg,
      program,
      pid,
      mono,
      priority: m[1] === undefined ? undefined : Number(m[1]) & 7,
    });
    return true;
  }

  end(): void {}
}
