import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { InputWarning, LogEvent } from '../model/event.js';
import type { TimeQuality } from '../model/time.js';
import type { InputSummary } from '../model/report.js';
import { isoFromMicros } from '../model/time.js';
import { BlockSplitter, MAX_LINE_BYTES } from '../input/lines.js';
import { readFileChunks } from '../input/file-chunks.js';
import type { Sniffed } from '../input/sniff.js';
import type { FormatParser } from '../parsers/types.js';
import { AnchorLineCache } from './anchor-lines.js';
import { EmbeddedDumps } from './embedded-dumps.js';
import { salvageGzip } from './gzip-salvage.js';
import { zoneClock } from '../time/zone.js';
import type { LiteralScanner } from './prefilter.js';

/** Warnings kept per input; the rest are counted in `warningsDropped`. */
export const MAX_WARNINGS_PER_INPUT = 50;

/** Read buffer size: large reads are the first condition of speed on multi-GB inputs. */
export const CHUNK_BYTES = 1 << 20;

/** Chunks read ahead of the scan, at most. */
const QUEUED_CHUNKS = 4;

/** A silence longer than this inside a file is a gap (if unusual for the file: see {@link settleGaps}). */
export const DEFAULT_GAP_US = 30 * 60_000_000;

/** A clock that moves back, or forward, by more than this inside one file is reported. */
export const CLOCK_JUMP_US = 60_000_000;

export interface InputToRead {
  /** Opens the raw (possibly compressed) bytes of the input. */
  open(): Readable;
  /** Path on disk, when the input is a file (lets damaged gzip be re-read member by member). */
  abs?: string;
  rel: string;
  host: string | undefined;
  sniffed: Sniffed;
  parser: FormatParser;
  year: number;
  tz: string;
  /** Modification time: the last resort for placing a standalone goroutine dump. */
  mtime?: Date;
  /**
   * Size of the file when the run planned it: a plain file on disk (`abs`) with a known size is read
   * through one reused buffer instead of `open()` (see readFileChunks).
   */
  size?: number;
  /** Only these bytes of the file, `[start, end)` (one range of a file cut for several threads). */
  range?: { start: number; end: number };
}

/** Per-input observations the caller needs beyond the summary. */
export interface ReadObservations {
  /** Covered spans (UTC µs), split where the clock jumps back. */
  spans: Array<[number, number]>;
  /**
   * Silences inside the input (UTC µs) longer than `gapUs`; {@link settleGaps} keeps those unusual
   * for the input (50x its median interval) once the whole input is seen.
   */
  gaps: Array<{ line: number; from: number; to: number }>;
  /** Log2 histogram of intervals between timed lines (seconds), for what counts as an unusual silence. */
  intervals: Uint32Array;
  /** Line numbers of the first and last lines with a wall time, or null. */
  timedLines: [number, number] | null;
  /** A goroutine dump was still open at the end of the input (a byte range cut through it). */
  dumpOpen: boolean;
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
  /**
   * Every parsed event (all lines): the caller classifies and keeps what it needs. `unmatched`: the
   * line holds none of the signatures' literals (it was decoded for its times only), so no signature
   * can match it.
   */
  event(e: LogEvent, unmatched?: boolean): void;
  /**
   * A kernel line holding no literal whose header (time to the minute, and host) is the same as the
   * previous decoded line's, a kernel line too: its times, without an event (fast path; see
   * anchor-lines.ts). Without this hook such lines are decoded.
   */
  anchor?(host: string, wall: number, mono: number, precision: number, quality: TimeQuality): void;
  /** Progress, in bytes read from disk. */
  progress?(bytes: number): void;
  signal?: AbortSignal;
  /** A silence longer than this inside a file is recorded as a gap (default 30 minutes). */
  gapUs?: number;
}

/**
 * The fast path of {@link readInput}: only lines holding a literal (and time samples) are decoded.
 * Made by `fastScanFor` (fast.ts), which knows which formats allow it.
 */
export interface FastScan {
  /** Finds candidate lines in raw bytes. */
  scanner: LiteralScanner;
  /**
   * Syslog family: a hit that is the program tag (the literal followed by `[pid]:` or `:` with no
   * `": "` before it in the line) is not in the message, so it makes no candidate.
   */
  skipTagHits: boolean;
  /** Distance between time samples inside a block, in bytes (default 64 KiB). */
  sampleBytes?: number;
  /** Cut incoming chunks to at most this size (tests vary it; default: as read). */
  chunkBytes?: number;
  /** Journal JSON: a hit counts only inside the MESSAGE field's value (not in the unit or identifier fields). */
  jsonMessage?: boolean;
  /**
   * The boot-anchor marker (`kernel: [`) when it is among the literals: a line holding only it is
   * decoded for its times, and not classified.
   */
  anchorMarker?: Buffer;
  /**
   * Cheap byte-level checks of a line's header shape (timestamp layouts of the format). The input's
   * shape is the first of these its lines show; a skipped line without that shape (junk, torn, another
   * layout) is decoded and parsed as on the reference path, so it is counted, warned about, and its time
   * seen.
   */
  shapes: ReadonlyArray<(buf: Buffer, start: number, end: number) => boolean>;
}

/** Whether `buf` holds `lit` at `p` (a loop: Buffer.compare's argument checks cost more for a few bytes). */
function bytesAt(buf: Buffer, p: number, lit: Buffer): boolean {
  for (let i = 0; i < lit.length; i++) if (buf[p + i] !== lit[i]) return false;
  return true;
}

/** Time samples of one block whose neighbours disagree more than this fraction of a threshold make the block read in full. */
const DEFAULT_SAMPLE_BYTES = 64 * 1024;

/**
 * Reads one input end to end: file stream, gunzip when the content is gzip, Buffer-level line
 * splitting, the format's parser. Damage (truncated gzip, NUL runs, overlong lines, lines not
 * understood) becomes warnings; nothing here throws for bad content.
 */
export async function readInput(input: InputToRead, hooks: ReadHooks, fast?: FastScan | null): Promise<{ summary: InputSummary; obs: ReadObservations }> {
  const warnings: InputWarning[] = [];
  let dropped = 0;
  const warn = (line: number, message: string): void => {
    if (warnings.length < MAX_WARNINGS_PER_INPUT) warnings.push({ line, message });
    else dropped++;
  };
  const gapUs = hooks.gapUs ?? DEFAULT_GAP_US;
  const intervals = new Uint32Array(INTERVAL_BUCKETS);
  const obs: ReadObservations = { spans: [], gaps: [], intervals, timedLines: null, dumpOpen: false, mono: null, jumps: [], hosts: new Map(), yearShift: 0 };
  let firstYearInferred = NaN;
  let lastYearInferred = NaN;
  let firstTs = NaN;
  let lastTs = NaN;
  let spanStart = NaN;
  let prev = NaN;
  let lastHost = '';
  let unparsed = 0;
  let unparsedRun = 0;
  let unparsedRunStart = 0;
  let nulLines = 0;
  /** A line decoded only for its kernel boot anchor (wall and monotonic time), not for a literal. */
  let timesOnlyLine = -1;
  /** True while lines are decoded sparsely (fast path, between candidates). */
  let sparse = false;
  let prevLine = 0;
  /** Lines handed to the parser so far, and the last event it gave (for the anchor-line cache). */
  let parses = 0;
  let lastEvent: LogEvent | undefined;

  const flushUnparsedRun = (): void => {
    if (unparsedRun === 0) return;
    warn(unparsedRunStart, unparsedRun === 1 ? `line not understood as ${input.parser.id}` : `${unparsedRun} lines not understood as ${input.parser.id} (lines ${unparsedRunStart}-${unparsedRunStart + unparsedRun - 1})`);
    unparsedRun = 0;
  };

  /** The host of one line: runs of lines per host. */
  const seeHost = (host: string): void => {
    if (host !== lastHost) {
      obs.hosts.set(host, (obs.hosts.get(host) ?? 0) + 1);
      lastHost = host;
    }
  };

  /** The wall time of one line, for coverage, gaps, jumps and the interval statistics. */
  const seeTime = (ts: number, line: number, quality: TimeQuality): void => {
    if (Number.isNaN(firstTs)) {
      firstTs = ts;
      spanStart = ts;
    } else if (ts < prev - CLOCK_JUMP_US) {
      // The clock stepped back (RTC wrong after power loss, then NTP): close the covered span.
      obs.jumps.push({ line, from: prev, to: ts });
      obs.spans.push([spanStart, prev]);
      spanStart = ts;
    } else if (ts > prev + gapUs) {
      if (obs.gaps.length < 10_000) obs.gaps.push({ line, from: prev, to: ts });
    }
    if (ts >= prev) {
      // Fast path: between two decoded lines k apart, count k intervals of the mean length.
      const k = sparse ? Math.max(1, line - prevLine) : 1;
      countInterval(intervals, ts - prev, k);
    }
    prevLine = line;
    if (obs.timedLines) obs.timedLines[1] = line;
    else obs.timedLines = [line, line];
    if (quality === 'year-inferred') {
      if (Number.isNaN(firstYearInferred)) firstYearInferred = ts;
      lastYearInferred = ts;
    }
    // The input's first and last times are those of its first and last timed lines (the fast path
    // always decodes both), so they do not depend on which lines between were decoded.
    lastTs = ts;
    prev = ts;
  };

  const onEvent = (e: LogEvent): void => {
    seeHost(e.host);
    if (Number.isFinite(e.ts)) seeTime(e.ts, e.line, e.quality);
    else if (e.mono !== undefined) {
      if (!obs.mono) obs.mono = { min: e.mono, max: e.mono };
      else if (e.mono < obs.mono.min) obs.mono.min = e.mono;
      else if (e.mono > obs.mono.max) obs.mono.max = e.mono;
    }
    lastEvent = e;
    hooks.event(e, e.line === timesOnlyLine);
    dumps.see(e);
  };
  const dumps = new EmbeddedDumps(input.rel, warn, hooks.event);
  const clock = zoneClock(input.tz);
  const dstEdgesBefore = clock.dstEdgeCount;
  const parser = input.parser.create({ file: input.rel, host: input.host, year: input.year, tz: input.tz, warn }, (e) => {
    // A standalone dump has no time of its own: place it at the file's modification time.
    if (e.format === 'goroutine' && Number.isNaN(e.ts) && input.mtime) e = { ...e, ts: input.mtime.getTime() * 1000, precision: 60_000_000 };
    // State snapshots (kubectl objects, metrics scrapes) without their own time: the file's time, or --at.
    else if ((e.format === 'kube-objects' || e.format === 'prometheus') && Number.isNaN(e.ts) && input.mtime) e = { ...e, ts: input.mtime.getTime() * 1000, precision: 1_000_000 };
    onEvent(e);
  });

  const handleLine = (buf: Buffer, start: number, end: number, lineNo: number, offset: number): void => {
    let s = start;
    let e = end;
    // Power loss leaves runs of NUL where a block was lost: strip them, keep the rest of the line.
    // (Not in journal export, whose binary fields carry NULs in their lengths.)
    if (input.parser.id !== 'journal-export' && hasNul(buf, s, e)) {
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
    parses++;
    if (parser.line(text, lineNo, offset)) {
      flushUnparsedRun();
    } else if (text.trim() !== '') {
      // Sparse decoding: an earlier run ends where lines were skipped.
      if (unparsedRun > 0 && lineNo !== unparsedRunStart + unparsedRun) flushUnparsedRun();
      // Blank lines are not damage; anything else the format does not understand is counted.
      unparsed++;
      if (unparsedRun === 0) unparsedRunStart = lineNo;
      unparsedRun++;
    }
  };

  // ---- fast path -------------------------------------------------------------------------------
  const eol = input.sniffed.eol ?? 0x0a;
  let lineNo = 0;
  const sampleBytes = fast?.sampleBytes ?? DEFAULT_SAMPLE_BYTES;
  let probeEv: LogEvent | undefined;
  const probe = fast ? input.parser.create({ file: input.rel, host: input.host, year: input.year, tz: input.tz, warn: () => {} }, (e) => (probeEv = e)) : undefined;
  let probePrev: LogEvent | undefined;
  const samples: number[] = [];
  const dense: number[] = [];

  /** Delivers one line of a block: `ls` its start, `le` the index of its terminator (or block end). */
  const deliver = (buf: Buffer, ls: number, le: number, no: number, offset: number): void => {
    let end = le;
    if (eol === 0x0a && end > ls && buf[end - 1] === 0x0d) end--;
    if (end - ls > MAX_LINE_BYTES) {
      // (A line torn across chunks was cut, and reported, by the block splitter already.)
      warn(no, `line of ${end - ls} bytes cut to ${MAX_LINE_BYTES} bytes`);
      end = ls + MAX_LINE_BYTES;
    }
    handleLine(buf, ls, end, no, offset);
  };

  /** Every line of `buf[s, e)`, as the reference path reads them. */
  const full = (buf: Buffer, s: number, e: number, base: number): void => {
    sparse = false;
    let p = s;
    while (p < e) {
      let le = buf.indexOf(eol, p);
      if (le === -1 || le >= e) le = e;
      deliver(buf, p, le, ++lineNo, base + p);
      p = le + 1;
    }
  };

  /** Probes a sample line with the probe parser: its event, if the line has one. */
  const probeLine = (buf: Buffer, ls: number, e: number): LogEvent | undefined => {
    let le = buf.indexOf(eol, ls);
    if (le === -1 || le >= e) le = e;
    if (eol === 0x0a && le > ls && buf[le - 1] === 0x0d) le--;
    probeEv = undefined;
    probe!.line(buf.toString('utf8', ls, Math.min(le, ls + MAX_LINE_BYTES)), 0, 0);
    return probeEv;
  };

  /** Samples disagree when time could hide a gap or a jump, or the kernel clock went back (reboot). */
  const disagree = (a: LogEvent, b: LogEvent): boolean => {
    if (Number.isFinite(a.ts) && Number.isFinite(b.ts) && (b.ts < a.ts - CLOCK_JUMP_US / 2 || b.ts > a.ts + gapUs / 2)) return true;
    if (a.mono !== undefined && b.mono !== undefined && b.mono < a.mono - 1) return true;
    return false;
  };

  /** The input's header shape: fixed by its first line that has one of the format's shapes. */
  let shape: ((buf: Buffer, start: number, end: number) => boolean) | undefined;
  const decideShape = (buf: Buffer, s: number, e: number): void => {
    if (shape || !fast) return;
    const shapes = fast.shapes;
    let p = s;
    for (let n = 0; p < e && n < 64; n++) {
      let le = buf.indexOf(eol, p);
      if (le === -1 || le >= e) le = e;
      // A blank line says nothing about the layout.
      if (le - p > (buf[le - 1] === 0x0d ? 1 : 0)) {
        shape = shapes.find((f) => f(buf, p, le));
        if (shape) return;
      }
      p = le + 1;
    }
  };

  // Line starts of the current block, reused across blocks (grown when a block has more lines).
  let starts = new Int32Array(16384);
  /**
   * One walk over the block's lines: records where each starts and checks its header shape (on bytes,
   * no strings). Returns the number of lines, or -1 when a line lacks the input's shape.
   */
  const walk = (buf: Buffer, s: number, e: number, sh: (buf: Buffer, start: number, end: number) => boolean): number => {
    let n = 0;
    let p = s;
    while (p < e) {
      let le = buf.indexOf(eol, p);
      if (le === -1 || le >= e) le = e;
      if (!sh(buf, p, le)) return -1;
      if (n === starts.length) {
        const grown = new Int32Array(starts.length * 2);
        grown.set(starts);
        starts = grown;
      }
      starts[n++] = p;
      p = le + 1;
    }
    return n;
  };

  /** Index of the line holding byte `p`: the last start at or before it (binary search). */
  const lineAt = (p: number, lo: number, hi: number): number => {
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= p) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  /** Set by {@link nextCandidate}: the candidate holds only the boot-anchor marker (at `candMarker`), no signature literal. */
  let candTimesOnly = false;
  let candMarker = -1;
  const anchorCache = fast?.anchorMarker && hooks.anchor ? new AnchorLineCache() : undefined;

  /**
   * A times-only kernel line whose header repeats the previous decoded line's: what onEvent would do
   * with its event (same host, same wall time: only the interval and the last timed line move) and
   * its anchor, without decoding it. False when the line must be decoded.
   */
  const sameHeaderAnchor = (buf: Buffer, ls: number, le: number, no: number): boolean => {
    if (!anchorCache || le - ls > MAX_LINE_BYTES) return false;
    const ts = anchorCache.lookup(buf, ls, candMarker, fast!.anchorMarker!.length, le, parses);
    if (Number.isNaN(ts)) return false;
    seeHost(anchorCache.host);
    seeTime(ts, no, anchorCache.quality);
    hooks.anchor!(anchorCache.host, ts, anchorCache.mono, anchorCache.precision, anchorCache.quality);
    return true;
  };
  /** Index of the next line from `i` holding a literal in its message, or `n` when none. */
  const nextCandidate = (buf: Buffer, i: number, n: number, e: number): number => {
    const sc = fast!.scanner;
    let from = starts[i];
    for (;;) {
      const p = sc.next(buf, from, e);
      if (p < 0) return n;
      const li = lineAt(p, i, n - 1);
      const ls = starts[li];
      const le = li + 1 < n ? starts[li + 1] : e;
      // A hit in the program tag, or outside a journal line's MESSAGE, does not count.
      if ((fast!.skipTagHits && isTagHit(buf, ls, p, p + sc.matchLength, e)) || (fast!.jsonMessage && !inJsonMessage(buf, ls, le, p))) {
        from = p + 1;
        i = li;
        continue;
      }
      candTimesOnly = false;
      const marker = fast!.anchorMarker;
      if (marker && sc.matchLength === marker.length && bytesAt(buf, p, marker)) {
        // The anchor marker: a signature literal further on the line makes it a full candidate.
        let q = sc.next(buf, p + 1, le);
        while (q >= 0 && fast!.skipTagHits && isTagHit(buf, ls, q, q + sc.matchLength, e)) q = sc.next(buf, q + 1, le);
        candTimesOnly = q < 0;
        candMarker = p;
      }
      return li;
    }
  };

  /** Picks the sample lines of a block: the first, one every sampleBytes, the last. */
  const pickSamples = (n: number): void => {
    samples.length = 0;
    let next = starts[0];
    for (let i = 0; i < n; i++) {
      if (starts[i] >= next) {
        samples.push(i);
        next = starts[i] + sampleBytes;
      }
    }
    if (samples[samples.length - 1] !== n - 1) samples.push(n - 1);
  };

  const block = (buf: Buffer, s: number, e: number, base: number): void => {
    // The reference path: every line of every block.
    if (!fast) return full(buf, s, e, base);
    decideShape(buf, s, e);
    // Junk, torn lines or another layout inside a block: it is read in full, so every line is counted
    // and its time seen exactly as on the reference path.
    if (dumps.busy || !shape || (input.parser.id !== 'journal-export' && hasNul(buf, s, e))) return full(buf, s, e, base);
    const n = walk(buf, s, e, shape);
    if (n <= 0) return full(buf, s, e, base);
    const lineEnd = (i: number): number => (i + 1 < n ? starts[i + 1] - 1 : buf[e - 1] === eol ? e - 1 : e);
    pickSamples(n);
    // Neighbouring samples that disagree (a silence, a jump) mark the lines between them to be read
    // one by one: `dense` holds [from, to) line ranges, in order.
    dense.length = 0;
    let prevSample = -1;
    let straddle = false;
    let firstTimed: LogEvent | undefined;
    let extraSamples = 0;
    /** A sample line with a time: lines since the previous one are read one by one if the two disagree. */
    const timed = (i: number, ev: LogEvent): void => {
      firstTimed ??= ev;
      if (probePrev && prevSample >= 0 && i > prevSample + 1 && disagree(probePrev, ev)) dense.push(prevSample + 1, i);
      probePrev = ev;
      prevSample = i;
    };
    for (let k = 0; k < samples.length; k++) {
      const i = samples[k];
      const ev = probeLine(buf, starts[i], lineEnd(i));
      if (!isTimed(ev)) {
        // A sample without a time (a blank line): the next line is sampled too (up to 16 lines further;
        // with no limit until the input's first timed line is found, whose time is the input's first).
        if (i + 1 < n && (samples[k + 1] === undefined || i + 1 < samples[k + 1]) && (extraSamples++ < 16 || (!firstTimed && Number.isNaN(firstTs)))) samples.splice(k + 1, 0, i + 1);
        continue;
      }
      extraSamples = 0;
      timed(i, ev);
    }
    // The block ends in lines without a time: its last line that has one is sampled too, so the input's
    // last time (that of its last timed line) is seen. Searched backwards, but probed after the earlier
    // samples, as parsers that count years from months going back need.
    for (let i = n - 2; i > prevSample; i--) {
      const ev = probeLine(buf, starts[i], lineEnd(i));
      if (!isTimed(ev)) continue;
      timed(i, ev);
      let k = samples.length;
      while (k > 0 && samples[k - 1] > i) k--;
      samples.splice(k, 0, i);
      break;
    }
    // Zone-less times across a daylight-saving change: some line may fall in its gap or overlap.
    if (firstTimed && probePrev && firstTimed !== probePrev && firstTimed.quality !== 'exact' && Number.isFinite(firstTimed.ts) && Number.isFinite(probePrev.ts)) {
      straddle = clock.offsetAt(firstTimed.ts / 1000) !== clock.offsetAt(probePrev.ts / 1000);
    }
    if (straddle) return full(buf, s, e, base);

    // Candidates, samples and dense ranges, in line order; the lines between them are only counted.
    sparse = true;
    const first = lineNo;
    let si = 0;
    let di = 0;
    let cand = nextCandidate(buf, 0, n, e);
    for (;;) {
      const smp = si < samples.length ? samples[si] : n;
      const dns = di < dense.length ? dense[di] : n;
      let i = cand < smp ? cand : smp;
      if (dns < i) i = dns;
      if (i >= n) break;
      // A dense range delivers all its lines; otherwise the one line.
      const to = i === dns ? dense[di + 1] : i + 1;
      for (let j = i; j < to; j++) {
        const timesOnly = j === cand && candTimesOnly;
        if (timesOnly && sameHeaderAnchor(buf, starts[j], lineEnd(j), first + j + 1)) continue;
        timesOnlyLine = timesOnly ? first + j + 1 : -1;
        deliver(buf, starts[j], lineEnd(j), first + j + 1, base + starts[j]);
        // Any kernel line decoded is remembered (those holding a literal too), so the next one can follow it.
        if (anchorCache && lastEvent?.line === first + j + 1 && !clock.lastWasDstEdge) anchorCache.remember(buf, starts[j], lastEvent, parses, fast!.anchorMarker!);
        if (dumps.busy) {
          // A goroutine dump started: its lines carry no literal, all of them are needed.
          lineNo = first + j + 1;
          if (j + 1 < n) full(buf, starts[j + 1], e, base);
          return;
        }
      }
      const last = to - 1;
      while (si < samples.length && samples[si] <= last) si++;
      while (di < dense.length && dense[di] <= last) di += 2;
      if (cand <= last) cand = last + 1 < n ? nextCandidate(buf, last + 1, n, e) : n;
    }
    timesOnlyLine = -1;
    lineNo = first + n;
    sparse = false;
  };

  const blocks = new BlockSplitter(block, {
    eol: input.sniffed.eol,
    maxLineBytes: MAX_LINE_BYTES,
    onOverlong: (_off, bytes) => warn(lineNo + 1, `line of ${bytes} bytes cut to ${MAX_LINE_BYTES} bytes`),
  });
  const consume = (chunk: Buffer): void => {
    const max = fast?.chunkBytes;
    if (!max || chunk.length <= max) return blocks.push(chunk);
    for (let i = 0; i < chunk.length; i += max) blocks.push(chunk.subarray(i, Math.min(chunk.length, i + max)));
  };

  let bytesIn = 0;
  let bytesOut = 0;
  try {
    if (input.abs && input.size !== undefined && input.sniffed.compression === 'none') {
      const { bytes, change } = await readFileChunks(
        input.abs,
        { start: input.range?.start ?? 0, end: input.range?.end ?? input.size, eol, chunkBytes: CHUNK_BYTES, checkSize: !input.range, signal: hooks.signal },
        (chunk) => {
          hooks.progress?.(chunk.length);
          consume(chunk);
        },
      );
      bytesIn = bytesOut = bytes;
      if (change) warn(lineNo + 1, `read failed: ${change}`);
    } else {
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
        // Inflated chunks are processed one per event-loop turn, not inside the 'data' handler: the next
        // inflate (on libuv's thread pool) then runs while this thread scans, instead of after it.
        // (Other streams are consumed at once: their producer may be gated by the consumer, see api/parse.)
        const deferred = src !== file;
        const queue: Buffer[] = [];
        let scheduled = false;
        let ended = false;
        const flush = (): void => {
          while (queue.length > 0) consume(queue.shift()!);
        };
        const step = (): void => {
          scheduled = false;
          const chunk = queue.shift();
          if (chunk) consume(chunk);
          if (queue.length > 0) schedule();
          else if (ended) resolve();
          if (queue.length < QUEUED_CHUNKS && src.isPaused() && !ended) src.resume();
        };
        const schedule = (): void => {
          if (!scheduled) {
            scheduled = true;
            setImmediate(step);
          }
        };
        src.on('data', (chunk: Buffer) => {
          bytesOut += chunk.length;
          if (!deferred) return consume(chunk);
          queue.push(chunk);
          if (queue.length >= QUEUED_CHUNKS) src.pause();
          schedule();
        });
        src.on('end', () => {
          ended = true;
          schedule();
        });
        const fail = (err: Error): void => {
          flush();
          hooks.signal?.removeEventListener('abort', onAbort);
          if (input.sniffed.compression === 'gzip' && src !== file) {
            file.destroy();
            const code = (err as NodeJS.ErrnoException).code;
            if (code === 'Z_BUF_ERROR' || /unexpected end/.test(err.message)) {
              // Keep what was decompressed before the cut.
              warn(lineNo + 1, `gzip stream truncated after ${bytesIn} compressed bytes (${bytesOut} bytes decompressed): the rest of the file is lost`);
              resolve();
              return;
            }
            if (!input.abs) {
              warn(lineNo + 1, `gzip data damaged after ${bytesIn} compressed bytes (${err.message}); everything before it was read`);
              resolve();
              return;
            }
            // Bad data after a member (or inside one): Gunzip dropped what it had decompressed from the
            // last chunk. Read the file again member by member and go on after what was delivered.
            let skip = bytesOut;
            salvageGzip(input.abs, (chunk) => {
              if (skip >= chunk.length) {
                skip -= chunk.length;
                return;
              }
              const rest = skip > 0 ? chunk.subarray(skip) : chunk;
              skip = 0;
              bytesOut += rest.length;
              consume(rest);
            }).then(
              ({ problem }) => {
                warn(lineNo + 1, `gzip: ${problem ?? err.message}; every member before it was read`);
                resolve();
              },
              (e: Error) => {
                warn(lineNo + 1, `gzip data damaged after ${bytesIn} compressed bytes (${e.message}); everything before it was read`);
                resolve();
              },
            );
          } else {
            reject(err);
          }
        };
        src.on('error', fail);
        if (src !== file) file.on('error', reject);
      });
    }
  } catch (err) {
    if (hooks.signal?.aborted) throw err;
    warn(lineNo + 1, `read failed: ${(err as Error).message}`);
  }
  blocks.end();
  parser.end();
  obs.dumpOpen = dumps.busy;
  dumps.end();
  flushUnparsedRun();
  if (nulLines > 3) warn(0, `${nulLines} lines had NUL bytes removed`);
  const dstEdges = clock.dstEdgeCount - dstEdgesBefore;
  if (dstEdges > 0) {
    warn(0, `${dstEdges} local time(s) fell in a daylight-saving change of ${input.tz} (a time that does not exist, or exists twice): the earlier offset was used`);
  }
  if (Number.isFinite(spanStart)) obs.spans.push([spanStart, prev]);

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
    lines: lineNo,
    unparsed,
    first: Number.isFinite(firstTs) ? isoFromMicros(firstTs) : null,
    last: Number.isFinite(lastTs) ? isoFromMicros(lastTs) : null,
    warnings,
    compression: input.sniffed.compression,
    bytes: bytesOut,
  };
  if (dropped > 0) summary.warningsDropped = dropped;
  return { summary, obs };
}

const INTERVAL_BUCKETS = 48;

/** Counts `k` intervals between lines of mean length `us / k` in a log2 histogram (seconds). */
export function countInterval(h: Uint32Array, us: number, k: number): void {
  h[Math.min(INTERVAL_BUCKETS - 1, Math.floor(Math.log2(1 + us / k / 1e6)))] += k;
}

/**
 * Keeps the silences unusual for the input (a sparse log is quiet often): 50x its median interval.
 * An input too short to show its rhythm claims no gap at all. Run once the whole input is read.
 */
export function settleGaps(obs: ReadObservations): void {
  let intervalCount = 0;
  for (const n of obs.intervals) intervalCount += n;
  obs.gaps = intervalCount < 20 ? [] : obs.gaps.filter((g) => g.to - g.from >= 50 * medianInterval(obs.intervals));
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

/** A probed line that has a wall or a monotonic time. */
function isTimed(ev: LogEvent | undefined): ev is LogEvent {
  return ev !== undefined && (Number.isFinite(ev.ts) || ev.mono !== undefined);
}

/** A NUL byte in `buf[s, e)`; the search stops at `e` (an unbounded indexOf would scan the whole chunk). */
function hasNul(buf: Buffer, s: number, e: number): boolean {
  return e > s && buf.subarray(s, e).indexOf(0) !== -1;
}

const MESSAGE_KEY = Buffer.from('"MESSAGE":"');

/**
 * A hit at `p` inside the string value of the MESSAGE field of the JSON object on `buf[ls, le)`. A
 * line without a string MESSAGE (journalctl writes a binary one as an array) keeps the hit.
 */
function inJsonMessage(buf: Buffer, ls: number, le: number, p: number): boolean {
  const rel = buf.subarray(ls, le).indexOf(MESSAGE_KEY);
  if (rel === -1) return true;
  const vs = ls + rel + MESSAGE_KEY.length;
  if (p < vs) return false;
  // The value ends at the first quote not escaped by an odd run of backslashes.
  for (let i = vs; i < le; i++) {
    if (buf[i] === 0x22) {
      let bs = 0;
      while (buf[i - 1 - bs] === 0x5c) bs++;
      if (bs % 2 === 0) return p < i;
    }
  }
  return true;
}

/**
 * A literal at `[p, q)` that ends the syslog program tag: followed by an optional `[digits]` and
 * `:` then a space or the line end, with no `": "` earlier in the line (the header ends at the first one).
 */
function isTagHit(buf: Buffer, ls: number, p: number, q: number, e: number): boolean {
  let i = q;
  if (buf[i] === 0x5b /* [ */) {
    i++;
    const d = i;
    while (i < e && buf[i] >= 0x30 && buf[i] <= 0x39) i++;
    if (i === d || buf[i] !== 0x5d /* ] */) return false;
    i++;
  }
  if (buf[i] !== 0x3a /* : */) return false;
  const after = i + 1 < e ? buf[i + 1] : 0x0a;
  if (after !== 0x20 && after !== 0x0a && after !== 0x0d) return false;
  for (let j = ls; j + 1 < p; j++) if (buf[j] === 0x3a && buf[j + 1] === 0x20) return false;
  return true;
}
