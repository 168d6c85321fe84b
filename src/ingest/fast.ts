import type { FormatId } from '../model/event.js';
import { LiteralScanner } from './prefilter.js';
import type { FastScan } from './read-input.js';

/**
 * Formats whose events are single independent lines with the message as a substring of the raw line
 * (`raw`), or JSON-escaped in it (`json`: journalctl `-o json`). Every other format (journal export
 * records, application logs with stack traces, klog files, standalone goroutine dumps, dmesg and
 * kernel text, which are small) is read by the reference path: every line decoded and parsed.
 */
export const FAST_FORMATS: ReadonlyMap<FormatId, 'raw' | 'json'> = new Map<FormatId, 'raw' | 'json'>([
  ['syslog', 'raw'],
  ['kern.log', 'raw'],
  ['journal', 'raw'],
  ['journal-json', 'json'],
]);

/** Start of an embedded goroutine dump: it makes the rest of the dump read line by line. */
const DUMP_MARKER = 'goroutine ';
/** Kernel lines of the syslog family carry wall and monotonic time: the boot anchors. */
const ANCHOR_MARKER = 'kernel: [';
const ANCHOR_MARKER_BYTES = Buffer.from(ANCHOR_MARKER);
/** journalctl prints a MESSAGE that is not valid UTF-8 as an array of bytes. */
const JSON_BINARY_MESSAGE = '"MESSAGE":[';

const scanners = new Map<string, LiteralScanner>();

/** Tuning of the fast path (tests vary chunk and sample sizes). */
export interface FastOptions {
  /**
   * Decode kernel lines with monotonic stamps too, so boot instants are exact: needed when some input
   * has monotonic-only times (raw dmesg, journal short-monotonic) that are anchored afterwards.
   */
  anchorLines?: boolean;
  chunkBytes?: number;
  sampleBytes?: number;
  /** Size of the byte ranges a large plain file is cut into for several threads (default: see readAll). */
  rangeBytes?: number;
}

/** Whether an input of this format is read by the fast path with these prefilter literals (see {@link fastScanFor}). */
export function hasFastScan(format: FormatId, literals: readonly string[] | null): literals is readonly string[] {
  return FAST_FORMATS.has(format) && literals !== null && literals.length > 0;
}

/**
 * The fast scan for an input of this format, given the classifier's prefilter literals, or null when
 * the input must be read by the reference path (format not eligible, or a signature without literals).
 */
export function fastScanFor(format: FormatId, literals: readonly string[] | null, options: FastOptions = {}): FastScan | null {
  const kind = FAST_FORMATS.get(format);
  if (!kind || !hasFastScan(format, literals)) return null;
  const lits = new Set<string>();
  for (const l of literals) lits.add(kind === 'json' ? JSON.stringify(l).slice(1, -1) : l);
  lits.add(DUMP_MARKER);
  if (kind === 'json') lits.add(JSON_BINARY_MESSAGE);
  else if (options.anchorLines) lits.add(ANCHOR_MARKER);
  // The scanner's tables (two of 64K entries) are built once per literal set, not once per input.
  const key = [...lits].join('\0');
  let scanner = scanners.get(key);
  if (!scanner) {
    scanner = new LiteralScanner([...lits]);
    scanners.set(key, scanner);
  }
  return {
    scanner,
    skipTagHits: kind === 'raw',
    jsonMessage: kind === 'json',
    anchorMarker: kind === 'raw' && options.anchorLines ? ANCHOR_MARKER_BYTES : undefined,
    shapes: kind === 'json' ? [jsonShape] : [rfc3164Shape, isoShape],
    chunkBytes: options.chunkBytes,
    sampleBytes: options.sampleBytes,
  };
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** `Mmm dd hh:mm:ss host` (RFC3164, journal short, short-precise). Blank lines pass (not damage). */
export function rfc3164Shape(b: Buffer, s: number, e: number): boolean {
  if (e > s && b[e - 1] === 0x0d) e--;
  if (e === s) return true;
  const c = b[s];
  return (
    c >= 0x41 && c <= 0x5a && e - s > 16 &&
    b[s + 3] === 0x20 && (b[s + 4] === 0x20 || isDigit(b[s + 4])) && isDigit(b[s + 5]) && b[s + 6] === 0x20 &&
    isDigit(b[s + 7]) && isDigit(b[s + 8]) && b[s + 9] === 0x3a && isDigit(b[s + 10]) && isDigit(b[s + 11]) &&
    b[s + 12] === 0x3a && isDigit(b[s + 13]) && isDigit(b[s + 14]) &&
    // A space then a host (RFC3164), or a fraction (short-precise).
    ((b[s + 15] === 0x20 && b[s + 16] !== 0x20) || b[s + 15] === 0x2e)
  );
}

/** `yyyy-mm-ddThh:mm:ss... host ...` (rsyslog RFC3339, journal short-iso). Blank lines pass. */
export function isoShape(b: Buffer, s: number, e: number): boolean {
  if (e > s && b[e - 1] === 0x0d) e--;
  if (e === s) return true;
  if (!isDigit(b[s]) || e - s <= 25) return false;
  const sp = b.indexOf(0x20, s + 19);
  return b[s + 4] === 0x2d && b[s + 7] === 0x2d && b[s + 10] === 0x54 && b[s + 13] === 0x3a && b[s + 16] === 0x3a && sp !== -1 && sp < e - 1;
}

/** A journal JSON line: one object. */
export function jsonShape(b: Buffer, s: number, e: number): boolean {
  while (e > s && (b[e - 1] === 0x0d || b[e - 1] === 0x20)) e--;
  return e === s || (b[s] === 0x7b && b[e - 1] === 0x7d);
}

/** Formats whose events carry monotonic time without wall time, to be anchored on boot instants. */
export const MONO_ONLY_FORMATS: ReadonlySet<FormatId> = new Set<FormatId>(['dmesg', 'kernel-text', 'journal']);
