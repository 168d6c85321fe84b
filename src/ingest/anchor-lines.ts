import type { LogEvent } from '../model/event.js';
import type { TimeQuality } from '../model/time.js';
import { rfc3164Shape } from './fast.js';

/**
 * Kernel lines of the syslog family (`<header> kernel: [ 1234.567890] msg`) carry both clocks, and
 * boot instants are estimated from every one of them (time/boot-anchors.ts). Most follow another
 * kernel line of the same host and minute: their wall time is then known without decoding the line,
 * and only the monotonic stamp has to be read from the bytes.
 *
 * {@link AnchorLineCache} remembers the header of the last kernel line decoded; a later one with the
 * same header bytes (the seconds may differ), when nothing else was parsed in between, takes its host
 * and time from that line and its stamp from {@link monoAt}: exactly what decoding it would give.
 */

/** Longest header (everything before `kernel: [`) remembered. */
const MAX_PREFIX = 96;
/** Digits of a stamp read exactly: beyond this, the integer would not be exact in a double. */
const MAX_DIGITS = 15;
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * The monotonic stamp of `[ 1234.567890]` whose `[` is at `open`, in seconds, or NaN when the bytes
 * up to `end` are not such a stamp (the parser's `splitMono` accepts the same), or when a klog header
 * follows it (the parser would take the line's time from that header).
 *
 * Exact: the digits make an integer below 2^53 and one division by a power of ten rounds once, as
 * `Number("1234.567890")` does.
 */
export function monoAt(buf: Buffer, open: number, end: number): number {
  let i = open + 1;
  const close = buf.indexOf(0x5d /* ] */, i);
  if (close < 0 || close >= end || close - open < 4 || close - open > 24) return NaN;
  while (buf[i] === 0x20) i++;
  let n = 0;
  let digits = 0;
  let frac = -1;
  for (; i < close; i++) {
    const c = buf[i];
    if (c === 0x2e && frac < 0) frac = 0;
    else if (c >= 0x30 && c <= 0x39) {
      n = n * 10 + (c - 0x30);
      digits++;
      if (frac >= 0) frac++;
    } else return NaN;
  }
  if (frac < 0 || digits === 0 || digits > MAX_DIGITS) return NaN;
  // A klog header after the stamp (`I0528 ...`) would refine the time: the line must be parsed.
  const m = buf[close + 1] === 0x20 ? close + 2 : close + 1;
  const k = buf[m];
  if (m + 1 < end && (k === 0x49 || k === 0x57 || k === 0x45 || k === 0x46) && buf[m + 1] >= 0x30 && buf[m + 1] <= 0x39) return NaN;
  return n / POW10[frac];
}

/** The header bytes and times of the last kernel line decoded for its anchor (see the module comment). */
export class AnchorLineCache {
  private readonly prefix = Buffer.allocUnsafe(MAX_PREFIX);
  private len = -1;
  /** The parse count at which the remembered line was decoded: valid while nothing else is parsed. */
  private at = -1;
  /** Where the seconds of an RFC 3164 header are in the prefix (-1: another layout, compared whole). */
  private secAt = -1;
  private sec = 0;
  private ts0 = NaN;
  /** Host, precision and quality of the remembered line's time: those of every line {@link lookup} accepts. */
  host = '';
  precision = 0;
  quality: TimeQuality = 'none';
  /** The monotonic stamp of the line {@link lookup} last accepted. */
  mono = NaN;

  /**
   * Remembers the line starting at `start` whose event is `e`, decoded as parse number `parses`: its
   * header is what precedes `marker` (`kernel: [`). Only a kernel line with both clocks and no klog
   * header is remembered; any other forgets the last one.
   */
  remember(buf: Buffer, start: number, e: LogEvent, parses: number, marker: Buffer): void {
    this.len = -1;
    if (e.program !== 'kernel' || e.mono === undefined || e.klog !== undefined || !Number.isFinite(e.ts)) return;
    const at = buf.indexOf(marker, start);
    const len = at - start;
    if (at < 0 || len > MAX_PREFIX) return;
    buf.copy(this.prefix, 0, start, at);
    this.len = len;
    this.at = parses;
    this.host = e.host;
    this.ts0 = e.ts;
    this.precision = e.precision;
    this.quality = e.quality;
    this.secAt = rfc3164Seconds(this.prefix, len);
    if (this.secAt >= 0) this.sec = (this.prefix[this.secAt] - 0x30) * 10 + (this.prefix[this.secAt + 1] - 0x30);
  }

  /**
   * The wall time of the line `[start, end)` whose marker (`kernel: [`, `markerLength` bytes) is at
   * `marker`, when its header equals the remembered one (but for the seconds of an RFC 3164 header:
   * within one minute, local time and UTC move together) and `parses` is still the count at which that
   * one was decoded; its stamp is then in {@link mono}. NaN when the line is to be decoded.
   */
  lookup(buf: Buffer, start: number, marker: number, markerLength: number, end: number, parses: number): number {
    const len = this.len;
    if (len !== marker - start || this.at !== parses) return NaN;
    const p = this.prefix;
    const skip = this.secAt;
    for (let i = 0; i < len; i++) {
      if (i === skip) {
        i++;
        continue;
      }
      if (p[i] !== buf[start + i]) return NaN;
    }
    let ts = this.ts0;
    if (skip >= 0) {
      const a = buf[start + skip] - 0x30;
      const b = buf[start + skip + 1] - 0x30;
      if (a < 0 || a > 6 || b < 0 || b > 9) return NaN;
      ts += (a * 10 + b - this.sec) * 1_000_000;
    }
    this.mono = monoAt(buf, marker + markerLength - 1, end);
    return Number.isNaN(this.mono) ? NaN : ts;
  }
}

/** Index of the seconds in `Mmm dd hh:mm:ss host` (after an optional `<pri>`; whole seconds only), or -1. */
function rfc3164Seconds(b: Buffer, len: number): number {
  let o = 0;
  if (b[0] === 0x3c /* < */) {
    o = b.indexOf(0x3e /* > */) + 1;
    if (o <= 1 || o > 5) return -1;
  }
  return rfc3164Shape(b, o, len) && b[o + 15] === 0x20 ? o + 13 : -1;
}
