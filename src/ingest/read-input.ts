import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { InputWarning, LogEvent } from '../model/event.js';
import type { InputSummary } from '../model/report.js';
import { isoFromMicros } from '../model/time.js';
import { LineSplitter, MAX_LINE_BYTES } from '../input/lines.js';
import type { Sniffed } from '../input/sniff.js';
import type { FormatParser } from '../parsers/types.js';
import { EmbeddedDumps } from './embedded-dumps.js';

/** Warnings kept per input; the rest are counted in `warningsDropped`. */
export const MAX_WARNINGS_PER_INPUT = 50;

/** Read buffer size: large reads are the first condition of speed on multi-GB inputs. */
export const CHUNK_BYTES = 1 << 20;

/** A clock that moves back, or forward, by more than this inside one file is reported. */
export const CLOCK_JUMP_US = 60_000_000;

export interface InputToRead {
  /** Opens the raw (possibly compressed) bytes of the input. */
  open(): Readable;
  rel: string;
  host: string | undefined;
  sniffed: Sniffed;
  parser: FormatParser;
  year: number;
  tz: string;
  /** Modification time: the last resort for placing a standalone goroutine dump. */
  mtime?: Date;
}

/** Per-input observations the caller needs beyond the summary. */
export interface ReadObservations {
  /** Covered spans (UTC µs), split where the clock jumps back. */
  spans: Array<[number, number]>;
  /** Silences inside the input (UTC µs) longer than `gapUs` and unusual for it (50x its median interval). */
  gaps: Array<{ line: number; from: number; to: number }>;
  /** Monotonic range of lines without wall time (raw dmesg), for anchoring afterwards. */
  mono: { min: number; max: number } | null;
  /** Clock jumps seen inside the input. */
  jumps: Array<{ line: number; from: number; to: number }>;
  /** Hosts named by the lines themselves. */
  hosts: Map<string, number>;
  /**
   * Years to subtract from this input's year-inferred times: a year-less file that crosses New Year
   * ends in the assumed year (the year of its newest line), so its earlier lines belong to the years before.
   */
  yearShift: number;
}

export interface ReadHooks {
  /** Every parsed event (all lines): the caller classifies and keeps what it needs. */
  event(e: LogEvent): void;
  /** Progress, in bytes read from disk. */
  progress?(bytes: number): void;
  signal?: AbortSignal;
  /** A silence longer than this inside a file is recorded as a gap (default 30 minutes). */
  gapUs?: number;
}

/**
 * Reads one input end to end: file stream, gunzip when the content is gzip, Buffer-level line
 * splitting, the format's parser. Damage (truncated gzip, NUL runs, overlong lines, lines not
 * understood) becomes warnings; nothing here throws for bad content.
 */
export async function readInput(input: InputToRead, hooks: ReadHooks): Promise<{ summary: InputSummary; obs: ReadObservations }> {
  const warnings: InputWarning[] = [];
  let dropped = 0;
  const warn = (line: number, message: string): void => {
    if (warnings.length < MAX_WARNINGS_PER_INPUT) warnings.push({ line, message });
    else dropped++;
  };
  const gapUs = hooks.gapUs ?? 30 * 60_000_000;
  const obs: ReadObservations = { spans: [], gaps: [], mono: null, jumps: [], hosts: new Map(), yearShift: 0 };
  // Log2 histogram of intervals between lines (seconds), for what counts as an unusual silence.
  const intervals = new Uint32Array(48);
  let firstYearInferred = NaN;
  let lastYearInferred = NaN;
  let first = NaN;
  let last = NaN;
  let spanStart = NaN;
  let prev = NaN;
  let lastHost = '';
  let unparsed = 0;
  let unparsedRun = 0;
  let unparsedRunStart = 0;
  let nulLines = 0;

  const flushUnparsedRun = (): void => {
    if (unparsedRun === 0) return;
    warn(unparsedRunStart, unparsedRun === 1 ? `line not understood as ${input.parser.id}` : `${unparsedRun} lines not understood as ${input.parser.id} (lines ${unparsedRunStart}-${unparsedRunStart + unparsedRun - 1})`);
    unparsedRun = 0;
  };

  const onEvent = (e: LogEvent): void => {
    if (e.host !== lastHost) {
      obs.hosts.set(e.host, (obs.hosts.get(e.host) ?? 0) + 1);
      lastHost = e.host;
    }
    const ts = e.ts;
    if (Number.isFinite(ts)) {
      if (Number.isNaN(first)) {
        first = ts;
        spanStart = ts;
      } else if (ts < prev - CLOCK_JUMP_US) {
        // The clock stepped back (RTC wrong after power loss, then NTP): close the covered span.
        obs.jumps.push({ line: e.line, from: prev, to: ts });
        obs.spans.push([spanStart, prev]);
        spanStart = ts;
      } else if (ts > prev + gapUs) {
        if (obs.gaps.length < 10_000) obs.gaps.push({ line: e.line, from: prev, to: ts });
      }
      if (ts >= prev) intervals[Math.min(47, Math.floor(Math.log2(1 + (ts - prev) / 1e6)))]++;
      if (e.quality === 'year-inferred') {
        if (Number.isNaN(firstYearInferred)) firstYearInferred = ts;
        lastYearInferred = ts;
      }
      if (Number.isNaN(last) || ts > last) last = ts;
      if (Number.isNaN(first) || ts < first) first = ts;
      prev = ts;
    } else if (e.mono !== undefined) {
      obs.mono = obs.mono ? { min: Math.min(obs.mono.min, e.mono), max: Math.max(obs.mono.max, e.mono) } : { min: e.mono, max: e.mono };
    }
    hooks.event(e);
    dumps.see(e);
  };
  const dumps = new EmbeddedDumps(input.rel, warn, hooks.event);
  const parser = input.parser.create({ file: input.rel, host: input.host, year: input.year, tz: input.tz, warn }, (e) => {
    // A standalone dump has no time of its own: place it at the file's modification time.
    if (e.format === 'goroutine' && Number.isNaN(e.ts) && input.mtime) e = { ...e, ts: input.mtime.getTime() * 1000, precision: 60_000_000 };
    onEvent(e);
  });

  const splitter = new LineSplitter(
    (buf, start, end, lineNo, offset) => {
      let s = start;
      let e = end;
      // Power loss leaves runs of NUL where a block was lost: strip them, keep the rest of the line.
      // (Not in journal export, whose binary fields carry NULs in their lengths.)
      const nul = input.parser.id === 'journal-export' ? -1 : buf.indexOf(0, s);
      if (nul !== -1 && nul < e) {
        const cleaned = Buffer.from(buf.subarray(s, e).filter((b) => b !== 0));
        nulLines++;
        if (nulLines <= 3) warn(lineNo, `${e - s - cleaned.length} NUL bytes removed (a block lost in a crash?)`);
        if (cleaned.length === 0) {
          unparsed++;
          return;
        }
        buf = cleaned;
        s = 0;
        e = cleaned.length;
      }
      const text = buf.toString('utf8', s, e);
      if (parser.line(text, lineNo, offset)) {
        flushUnparsedRun();
      } else if (text.trim() !== '') {
        // Blank lines are not damage; anything else the format does not understand is counted.
        unparsed++;
        if (unparsedRun === 0) unparsedRunStart = lineNo;
        unparsedRun++;
      }
    },
    {
      eol: input.sniffed.eol,
      maxLineBytes: MAX_LINE_BYTES,
      onOverlong: (line, bytes) => warn(line, `line of ${bytes} bytes cut to ${MAX_LINE_BYTES} bytes`),
    },
  );

  let bytesIn = 0;
  let bytesOut = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const file = input.open();
      file.on('data', (c) => {
        bytesIn += c.length;
        hooks.progress?.(c.length);
      });
      const onAbort = (): void => {
        file.destroy();
        reject(hooks.signal?.reason ?? new Error('aborted'));
      };
      hooks.signal?.addEventListener('abort', onAbort, { once: true });
      const src = input.sniffed.compression === 'gzip' ? file.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : file;
      src.on('data', (chunk: Buffer) => {
        bytesOut += chunk.length;
        splitter.push(chunk);
      });
      src.on('end', () => resolve());
      const fail = (err: Error): void => {
        hooks.signal?.removeEventListener('abort', onAbort);
        if (input.sniffed.compression === 'gzip' && src !== file) {
          // Keep what was decompressed before the damage.
          const code = (err as NodeJS.ErrnoException).code;
          warn(splitter.lines + 1, code === 'Z_BUF_ERROR' || /unexpected end/.test(err.message)
            ? `gzip stream truncated after ${bytesIn} compressed bytes (${bytesOut} bytes decompressed): the rest of the file is lost`
            : `gzip data damaged after ${bytesIn} compressed bytes (${err.message}); everything before it was read`);
          file.destroy();
          resolve();
        } else {
          reject(err);
        }
      };
      src.on('error', fail);
      if (src !== file) file.on('error', reject);
    });
  } catch (err) {
    if (hooks.signal?.aborted) throw err;
    warn(splitter.lines + 1, `read failed: ${(err as Error).message}`);
  }
  splitter.end();
  parser.end();
  dumps.end();
  flushUnparsedRun();
  if (nulLines > 3) warn(0, `${nulLines} lines had NUL bytes removed`);
  if (Number.isFinite(spanStart)) obs.spans.push([spanStart, prev]);

  // A silence must be unusual for this input (a sparse log is quiet often); an input too short to show
  // its rhythm claims no gap at all.
  let intervalCount = 0;
  for (const n of intervals) intervalCount += n;
  obs.gaps = intervalCount < 20 ? [] : obs.gaps.filter((g) => g.to - g.from >= 50 * medianInterval(intervals));
  if (Number.isFinite(firstYearInferred)) {
    obs.yearShift = new Date(lastYearInferred / 1000).getUTCFullYear() - new Date(firstYearInferred / 1000).getUTCFullYear();
  }

  let host = input.host ?? 'unknown';
  let best = 0;
  for (const [h, n] of obs.hosts) if (n > best) [host, best] = [h, n];

  const summary: InputSummary = {
    path: input.rel,
    format: input.parser.id,
    host,
    lines: splitter.lines,
    unparsed,
    first: Number.isFinite(first) ? isoFromMicros(first) : null,
    last: Number.isFinite(last) ? isoFromMicros(last) : null,
    warnings,
    compression: input.sniffed.compression,
    bytes: bytesOut,
  };
  if (dropped > 0) summary.warningsDropped = dropped;
  return { summary, obs };
}

/** Median of a log2 histogram of intervals, in µs (the bucket's upper bound). */
function medianInterval(h: Uint32Array): number {
  let total = 0;
  for (const n of h) total += n;
  let seen = 0;
  for (let i = 0; i < h.length; i++) {
    seen += h[i];
    if (seen * 2 >= total) return (2 ** (i + 1) - 1) * 1e6;
  }
  return 0;
}
