import type { KlogHeader, LogEvent } from '../model/event.js';
import { zoneClock } from '../time/zone.js';

// `I0528 20:21:04.123456    1234 taint_eviction.go:111] rest`
const HEADER = /^([IWEF])(\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{6}) +(\d+) ([^\s:\]]+):(\d+)\] ?(.*)$/s;

/** Cheap shape test `[IWEF]\d{4} ` done before any regex. */
export function looksLikeKlog(s: string): boolean {
  const c = s.charCodeAt(0);
  if (c !== 73 && c !== 87 && c !== 69 && c !== 70) return false; // I W E F
  if (s.charCodeAt(5) !== 32) return false;
  for (let i = 1; i < 5; i++) {
    const d = s.charCodeAt(i);
    if (d < 48 || d > 57) return false;
  }
  return true;
}

/**
 * Parses a klog header at the start of a message: severity, source file and line, pid, the message
 * (unquoted for structured logs) and its `key=value` pairs (Go escapes undone; `{...}`/`[...]`
 * values kept raw). Returns null when the message has no klog header.
 */
export function parseKlog(msg: string): KlogHeader | null {
  if (!looksLikeKlog(msg)) return null;
  const m = HEADER.exec(msg);
  if (!m) return null;
  const rest = m[11];
  let text = rest;
  let kv: Record<string, string> = {};
  if (rest.charCodeAt(0) === 34 /* " */) {
    const q = readQuoted(rest, 0);
    if (q) {
      text = q.value;
      kv = parseKv(rest, q.end);
    }
  }
  return {
    severity: m[1] as KlogHeader['severity'],
    file: m[9],
    line: Number(m[10]),
    pid: Number(m[8]),
    msg: text,
    kv,
    stamp: `${m[2]}${m[3]} ${m[4]}:${m[5]}:${m[6]}.${m[7]}`,
  };
}

/** Reads a Go-quoted string starting at `s[start] === '"'`; null when it is not closed. */
function readQuoted(s: string, start: number): { value: string; end: number } | null {
  let out = '';
  let i = start + 1;
  let runStart = i;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 34) return { value: out + s.slice(runStart, i), end: i + 1 };
    if (c === 92 /* \ */) {
      out += s.slice(runStart, i);
      const e = s[i + 1];
      let adv = 2;
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case "'": out += "'"; break;
        case 'a': out += '\x07'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'v': out += '\v'; break;
        case 'x': case 'u': case 'U': {
          const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
          const hex = s.slice(i + 2, i + 2 + n);
          const cp = /^[0-9a-fA-F]+$/.test(hex) && hex.length === n ? parseInt(hex, 16) : NaN;
          if (Number.isFinite(cp) && cp <= 0x10ffff) {
            out += String.fromCodePoint(cp);
            adv = 2 + n;
          } else out += `\\${e ?? ''}`;
          break;
        }
        default:
          if (e !== undefined && e >= '0' && e <= '7' && /^[0-7]{3}$/.test(s.slice(i + 1, i + 4))) {
            out += String.fromCharCode(parseInt(s.slice(i + 1, i + 4), 8));
            adv = 4;
          } else out += `\\${e ?? ''}`;
      }
      i += adv;
      runStart = i;
      continue;
    }
    i++;
  }
  return null;
}

/** Index just past a `{...}` / `[...]` value starting at `start`, honouring quotes; the end of `s` if unbalanced. */
function skipBalanced(s: string, start: number): number {
  let depth = 0;
  let inQ = false;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inQ) {
      if (c === 92) i++;
      else if (c === 34) inQ = false;
    } else if (c === 34) inQ = true;
    else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return s.length;
}

/** Parses ` k="v" k2=v2 k3={...}` from `start`; stops quietly at anything else. */
function parseKv(s: string, start: number): Record<string, string> {
  const kv: Record<string, string> = {};
  let i = start;
  const n = s.length;
  while (i < n) {
    while (i < n && s.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    const eq = s.indexOf('=', i);
    if (eq <= i) break;
    const key = s.slice(i, eq);
    if (key.includes(' ') || key.includes('"')) break;
    i = eq + 1;
    const c = s.charCodeAt(i);
    if (c === 34) {
      const q = readQuoted(s, i);
      if (!q) {
        kv[key] = s.slice(i);
        break;
      }
      kv[key] = q.value;
      i = q.end;
    } else if (c === 123 || c === 91) {
      const end = skipBalanced(s, i);
      kv[key] = s.slice(i, end);
      i = end;
    } else {
      let end = s.indexOf(' ', i);
      if (end < 0) end = n;
      kv[key] = s.slice(i, end);
      i = end;
    }
  }
  return kv;
}

/** UTC µs of a klog header's `MMDD hh:mm:ss.uuuuuu` in the given year and IANA zone. */
export function klogTime(h: KlogHeader, year: number, tz: string): number {
  const s = h.stamp;
  const mo = Number(s.slice(0, 2));
  const d = Number(s.slice(2, 4));
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= 31)) return NaN;
  return zoneClock(tz).toUtc(year, mo, d, Number(s.slice(5, 7)), Number(s.slice(8, 10)), Number(s.slice(11, 13)), Number(s.slice(14, 20)));
}

const TWO_S = 2_000_000;

/**
 * Sets `e.klog` when `e.msg` starts with a klog header. When the klog time (read in `tz`, the
 * writer's zone, with the year of `e.ts`) is within 2 s of `e.ts` and `e.ts` is coarser than a
 * microsecond, `e.ts` takes the klog time and `precision` becomes 1. Cheap for other messages.
 */
export function attachKlog(e: LogEvent, tz: string): void {
  const h = parseKlog(e.msg);
  if (!h) return;
  e.klog = h;
  if (!Number.isFinite(e.ts) || e.precision <= 1) return;
  const year = new Date(e.ts / 1000).getUTCFullYear();
  let t = klogTime(h, year, tz);
  // Near New Year the writer's local year can differ from the UTC year of e.ts.
  if (!(Math.abs(t - e.ts) <= TWO_S)) {
    const alt = klogTime(h, h.stamp.startsWith('12') ? year - 1 : year + 1, tz);
    if (Math.abs(alt - e.ts) <= TWO_S) t = alt;
  }
  if (Math.abs(t - e.ts) <= TWO_S) {
    e.ts = t;
    e.precision = 1;
  }
}
