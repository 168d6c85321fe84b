import type { LogEvent } from '../model/event.js';
import type { FormatParser, LineParser, ParseContext } from './types.js';

/**
 * Regex source of a syslog tag with its trailing `: `, as an optional group with two captures
 * (program, pid): `prog[123]: `, `sshd(pam_unix)[19939]: `, `syslogd 1.4.1: `, `kernel: `.
 * The program part excludes parentheses so the pattern stays linear on hostile input.
 */
export const TAG_SRC = String.raw`(?:([^\s:[\]()]+(?:\([^()\s]*\))?(?: [\d.]+)?)(?:\[(\d+)\])?: ?)?`;

/** Regex source of an ISO 8601 date-time with 7 captures: y, mo, d, h, mi, s, fraction, zone. */
export const ISO_SRC = String.raw`(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2})?)?`;

/** Microseconds of a fraction-of-second string (`123` -> 123000, `123456789` -> 123456). */
export function fracMicros(frac: string | undefined): number {
  if (!frac) return 0;
  return frac.length >= 6 ? Number(frac.slice(0, 6)) : Number(frac) * 10 ** (6 - frac.length);
}

/** Resolution in µs of a time with this fraction: 1e6 without one, 1 for 6 or more digits. */
export function fracPrecision(frac: string | undefined): number {
  if (!frac) return 1_000_000;
  return frac.length >= 6 ? 1 : 10 ** (6 - frac.length);
}

/** Offset east of UTC in minutes of `Z`, `+10:00`, `+1000`, `-05`; NaN when malformed. */
export function zoneOffsetMinutes(zone: string): number {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone.charCodeAt(0) === 45 /* - */ ? -1 : 1;
  const digits = zone.length === 6 ? zone.slice(1, 3) + zone.slice(4) : zone.slice(1);
  const h = Number(digits.slice(0, 2));
  const m = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (!(h <= 23 && m <= 59)) return NaN;
  return sign * (h * 60 + m);
}

/** UTC µs of local fields with an explicit zone offset (minutes east of UTC). */
export function utcMicros(y: number, mo: number, d: number, h: number, mi: number, s: number, micros: number, offsetMin: number): number {
  return (Date.UTC(y, mo - 1, d, h, mi, s) - offsetMin * 60_000) * 1000 + micros;
}

/** Splits a kernel message's leading `[ 1234.567890] ` stamp off, without a regex. */
export function splitMono(msg: string): { mono?: number; msg: string } {
  if (msg.charCodeAt(0) !== 91 /* [ */) return { msg };
  const close = msg.indexOf(']', 1);
  if (close < 4 || close > 24) return { msg };
  let i = 1;
  while (msg.charCodeAt(i) === 32) i++;
  let dot = false;
  const start = i;
  for (; i < close; i++) {
    const c = msg.charCodeAt(i);
    if (c === 46 /* . */ && !dot) dot = true;
    else if (c < 48 || c > 57) return { msg };
  }
  if (!dot || i === start) return { msg };
  const mono = Number(msg.slice(start, close));
  const rest = msg.charCodeAt(close + 1) === 32 ? msg.slice(close + 2) : msg.slice(close + 1);
  return { mono, msg: rest };
}

/** Syslog severity name (or common application level word) to 0-7; undefined when unknown. */
export function levelPriority(level: string): number | undefined {
  switch (level.toLowerCase()) {
    case 'emerg': case 'panic': return 0;
    case 'alert': return 1;
    case 'crit': case 'critical': case 'fatal': case 'severe': return 2;
    case 'err': case 'error': return 3;
    case 'warn': case 'warning': return 4;
    case 'notice': return 5;
    case 'info': return 6;
    case 'debug': case 'trace': return 7;
    default: return undefined;
  }
}

const NOOP_WARN = (): void => {};

/**
 * Runs a format's own parser over sample lines and returns how many non-blank lines it understood,
 * with the events it emitted: detection that cannot disagree with parsing.
 */
/** Share of the non-blank lines a format understands: the usual `detect`. */
export function understoodShare(format: Pick<FormatParser, 'create'>, lines: readonly string[]): number {
  const r = trialParse(format, lines);
  return r.total === 0 ? 0 : r.understood / r.total;
}

export function trialParse(format: Pick<FormatParser, 'create'>, lines: readonly string[], file = ''): { understood: number; total: number; events: LogEvent[] } {
  const events: LogEvent[] = [];
  const ctx: ParseContext = { file, host: undefined, year: 2026, tz: 'UTC', warn: NOOP_WARN };
  let p: LineParser;
  try {
    p = format.create(ctx, (e) => events.push(e));
  } catch {
    return { understood: 0, total: lines.length, events };
  }
  let understood = 0;
  let total = 0;
  lines.forEach((l, i) => {
    if (l.trim() === '') return;
    total++;
    if (p.line(l, i + 1, 0)) understood++;
  });
  p.end();
  return { understood, total, events };
}
