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
/** journalctl prints a MESSAGE that is not valid UTF-8 as an array of bytes. */
const JSON_BINARY_MESSAGE = '"MESSAGE":[';

/** Tuning of the fast path (tests vary chunk and sample sizes). */
export interface FastOptions {
  /**
   * Decode kernel lines with monotonic stamps too, so boot instants are exact: needed when some input
   * has monotonic-only times (raw dmesg, journal short-monotonic) that are anchored afterwards.
   */
  anchorLines?: boolean;
  chunkBytes?: number;
  sampleBytes?: number;
}

/**
 * The fast scan for an input of this format, given the classifier's prefilter literals, or null when
 * the input must be read by the reference path (format not eligible, or a signature without literals).
 */
export function fastScanFor(format: FormatId, literals: readonly string[] | null, options: FastOptions = {}): FastScan | null {
  const kind = FAST_FORMATS.get(format);
  if (!kind || !literals || literals.length === 0) return null;
  const lits = new Set<string>();
  for (const l of literals) lits.add(kind === 'json' ? JSON.stringify(l).slice(1, -1) : l);
  lits.add(DUMP_MARKER);
  if (kind === 'json') lits.add(JSON_BINARY_MESSAGE);
  else if (options.anchorLines) lits.add(ANCHOR_MARKER);
  return {
    scanner: new LiteralScanner([...lits]),
    skipTagHits: kind === 'raw',
    chunkBytes: options.chunkBytes,
    sampleBytes: options.sampleBytes,
  };
}

/** Formats whose events carry monotonic time without wall time, to be anchored on boot instants. */
export const MONO_ONLY_FORMATS: ReadonlySet<FormatId> = new Set<FormatId>(['dmesg', 'kernel-text', 'journal']);
