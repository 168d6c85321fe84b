import { Transform, type Readable } from 'node:stream';
import type { FormatId, LogEvent } from '../model/event.js';
import type { InputSummary } from '../model/report.js';
import { readInput } from '../ingest/read-input.js';
import { formatById, FORMATS } from '../parsers/registry.js';
import type { GoFrame, GoroutineDumpHeader } from '../parsers/goroutine/index.js';
import { InputError, UsageError, throwIfAborted } from './errors.js';
import { plannedOf, type InputHandle } from './inputs.js';

/** Bytes let through to the parser at a time while the consumer keeps up. */
const GATE_SLICE = 256 * 1024;

/** Options of {@link parse}. */
export interface ParseOptions {
  /** IANA zone of zone-less timestamps (syslog, klog, journal short); default UTC. */
  tz?: string;
  /** Year of year-less timestamps; default the input's modification year. */
  year?: number;
  /** Read as this format instead of the detected one (ids as `forensics formats` lists them). */
  format?: FormatId;
  /** Stops reading; the iteration then rejects with {@link AbortedError} (`E_ABORTED`). */
  signal?: AbortSignal;
  /** Called as raw bytes are read (at most once per read chunk of 1 MiB). */
  onProgress?: (p: ParseProgress) => void;
  /**
   * Records buffered ahead of the consumer before reading pauses (default 10,000). Reading pauses
   * between chunks, so up to one chunk's records more may be buffered.
   */
  highWaterMark?: number;
}

/** Progress of one {@link parse}. */
export interface ParseProgress {
  /** Raw (possibly compressed) bytes read so far. */
  bytesRead: number;
  /** Size of the input on disk. */
  bytesTotal: number;
}

/** One parsed line or multi-line record of a log (syslog, kernel, journal, klog, app log, ...). */
export interface LineRecord {
  type: 'line';
  /** The event: time (`ts`, UTC µs) with its `quality`, host, `file`/`line`, message, parsed fields. */
  event: LogEvent;
}

/** Start of a Go goroutine dump (standalone file, or embedded in a log). */
export interface GoroutineDumpRecord {
  type: 'goroutine-dump';
  /** The dump's first line as evidence; `event.lines` spans the whole dump. */
  event: LogEvent;
  /** Goroutines in the dump. */
  goroutines: number;
  /** Buckets (identical stacks) in the dump; one {@link GoroutineBucketRecord} follows per bucket. */
  buckets: number;
  /** Signal / panic printed before the goroutines of a crash dump. */
  header: GoroutineDumpHeader | null;
}

/** Goroutines of one dump that share state, stack and creator. */
export interface GoroutineBucketRecord {
  type: 'goroutine-bucket';
  /** The first goroutine's header line as evidence. */
  event: LogEvent;
  bucket: GoroutineBucketInfo;
}

/** What a {@link GoroutineBucketRecord} says about its goroutines. */
export interface GoroutineBucketInfo {
  /** State class (`select`, `IO wait`, `semacquire, locked to thread`). */
  state: string;
  count: number;
  /** Shortest and longest printed wait in minutes; null when none printed one. */
  waitMinutes: { min: number; max: number } | null;
  lockedToThread: boolean;
  /** Frames of the first goroutine (function, file, line). */
  frames: Array<Pick<GoFrame, 'func' | 'file' | 'line'>>;
  /** `created by` of the first goroutine, with the parent goroutine id when printed (Go 1.21+). */
  createdBy: { func: string; file?: string; line?: number; goroutine?: number } | null;
  /** Goroutine ids (the first 50). */
  ids: number[];
}

/** Last record of every parse: line counts, time range and line-numbered warnings of the input. */
export interface EndRecord {
  type: 'end';
  summary: InputSummary;
}

/** What {@link parse} yields. Discriminate on `type`. */
export type ParsedRecord = LineRecord | GoroutineDumpRecord | GoroutineBucketRecord | EndRecord;

/**
 * Reads one input and yields its records in input order: a {@link LineRecord} per understood line or
 * multi-line record, goroutine dumps as a {@link GoroutineDumpRecord} followed by its buckets, and a
 * final {@link EndRecord} with the summary (warnings carry line numbers). Bad content never throws:
 * it becomes warnings. Reading pauses while the consumer is behind (backpressure); leaving the
 * loop early stops reading and closes the file.
 *
 * @throws {@link InputError} `E_INPUT_UNREADABLE` for a foreign handle or an unknown `format`.
 * @throws {@link AbortedError} `E_ABORTED` when `signal` fires.
 *
 * @example
 * ```ts
 * for await (const r of parse(input)) if (r.type === 'line') console.log(r.event.line, r.event.msg);
 * ```
 */
export function parse(input: InputHandle, options: ParseOptions = {}): AsyncIterable<ParsedRecord> {
  return { [Symbol.asyncIterator]: () => records(input, options) };
}

async function* records(input: InputHandle, options: ParseOptions): AsyncGenerator<ParsedRecord, void, undefined> {
  const p = plannedOf(input);
  if (!p) throw new InputError('E_INPUT_UNREADABLE', String(input?.path), 'parse() takes inputs made by openInputs() or inputFromText()');
  const parser = options.format === undefined ? formatById(input.format) : formatById(options.format);
  if (!parser) {
    throw new UsageError(`unknown format "${String(options.format)}" (known: ${FORMATS.map((f) => f.id).join(', ')})`);
  }
  throwIfAborted(options.signal, `parse of ${input.path} aborted`);

  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const highWater = Math.max(1, options.highWaterMark ?? 10_000);
  const queue: Array<ParsedRecord | undefined> = [];
  let head = 0;
  let wake: (() => void) | undefined;
  let resume: (() => void) | undefined;
  let finished = false;
  let failure: unknown;
  let bytesRead = 0;

  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const release = (): void => {
    const r = resume;
    resume = undefined;
    r?.();
  };
  signal.addEventListener('abort', () => {
    release();
    notify();
  }, { once: true });

  // Chunks reach the parser only while the consumer keeps up: the gate holds the next chunk back.
  const open = (): Readable => {
    const src = p.open();
    const gate = new Transform({
      highWaterMark: 1,
      transform(chunk: Buffer, _enc, cb) {
        // Large chunks (an in-memory input is one) pass in slices, each only once the consumer caught up.
        let at = 0;
        const next = (): void => {
          while (at < chunk.length) {
            if (signal.aborted) return cb();
            if (queue.length - head >= highWater) {
              resume = next;
              return;
            }
            const end = Math.min(chunk.length, at + GATE_SLICE);
            this.push(chunk.subarray(at, end));
            at = end;
          }
          cb();
        };
        next();
      },
    });
    src.on('error', (err) => gate.destroy(err));
    gate.on('close', () => src.destroy());
    return src.pipe(gate);
  };

  const push = (r: ParsedRecord): void => {
    queue.push(r);
    notify();
  };
  const done = readInput(
    {
      open,
      rel: p.rel,
      host: p.host,
      sniffed: p.sniffed,
      parser,
      year: options.year ?? p.mtime.getUTCFullYear(),
      tz: options.tz ?? 'UTC',
      mtime: p.mtime,
    },
    {
      signal,
      event: (e) => push(toRecord(e)),
      progress: (n) => {
        bytesRead += n;
        options.onProgress?.({ bytesRead, bytesTotal: p.size });
      },
    },
  ).then(
    ({ summary }) => {
      queue.push({ type: 'end', summary });
      finished = true;
      notify();
    },
    (err: unknown) => {
      failure = err;
      finished = true;
      notify();
    },
  );

  try {
    for (;;) {
      throwIfAborted(options.signal, `parse of ${input.path} aborted`);
      if (head < queue.length) {
        const r = queue[head]!;
        queue[head++] = undefined;
        if (head >= 4096 && head * 2 >= queue.length) {
          queue.splice(0, head);
          head = 0;
        }
        if (resume && queue.length - head < highWater / 2) release();
        yield r;
        continue;
      }
      if (finished) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    if (failure !== undefined) {
      throw new InputError('E_INPUT_UNREADABLE', input.path, `${input.path}: ${failure instanceof Error ? failure.message : String(failure)}`, { cause: failure });
    }
  } finally {
    if (!finished) {
      stop.abort();
      release();
      await done;
    }
  }
}

function toRecord(e: LogEvent): ParsedRecord {
  if (e.format === 'goroutine' && e.data) {
    const dump = e.data.dump as { goroutines: number; buckets: number; header: GoroutineDumpHeader | null } | undefined;
    if (dump) return { type: 'goroutine-dump', event: e, goroutines: dump.goroutines, buckets: dump.buckets, header: dump.header };
    const g = e.data.goroutine as
      | { state: string; count: number; waitMinutes: number | null; waitMinutesMin: number | null; lockedToThread: boolean; frames: GoroutineBucketInfo['frames']; createdBy: GoroutineBucketInfo['createdBy']; ids: number[] }
      | undefined;
    if (g) {
      return {
        type: 'goroutine-bucket',
        event: e,
        bucket: {
          state: g.state,
          count: g.count,
          waitMinutes: g.waitMinutes === null || g.waitMinutesMin === null ? null : { min: g.waitMinutesMin, max: g.waitMinutes },
          lockedToThread: g.lockedToThread,
          frames: g.frames,
          createdBy: g.createdBy,
          ids: g.ids,
        },
      };
    }
  }
  return { type: 'line', event: e };
}
