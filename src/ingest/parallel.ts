import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { LogEvent } from '../model/event.js';
import type { TimeQuality } from '../model/time.js';
import type { InputSummary } from '../model/report.js';
import { formatById } from '../parsers/registry.js';
import type { FormatParser } from '../parsers/types.js';
import { Classifier } from '../rules/signatures.js';
import type { LoadedRule } from '../rules/types.js';
import { fastScanFor, hasFastScan, type FastOptions } from './fast.js';
import { CHUNK_BYTES, readInput, settleGaps, type InputToRead, type ReadObservations } from './read-input.js';
import { mergeRanges, planRanges, type ByteRange } from './split.js';
import { pushTo } from '../util/multimap.js';
import { BootRuns, type BootRun } from '../time/boot-anchors.js';
import { adoptReader, defaultJobs, MIN_RANGE_BYTES, spawnReader } from './reader-threads.js';
import { UnitQueue } from './unit-queue.js';

/** One input to read, with what its reading needs. */
export interface ReadTask {
  /** Absolute path on disk; inputs without one (held in memory) are read on the calling thread. */
  abs?: string;
  open(): Readable;
  rel: string;
  host: string | undefined;
  compression: 'gzip' | 'none';
  eol: 0x0a | 0x0d;
  parser: FormatParser;
  year: number;
  tz: string;
  mtime?: Date;
  /** Bytes on disk, for scheduling largest first. */
  size: number;
  /** Read only these bytes of the file (one range of a file cut for several threads). */
  range?: ByteRange;
}

/** What one input gave: its accounting, the events kept, and its boot segments. */
export interface ReadResult {
  summary: InputSummary;
  obs: ReadObservations;
  kept: LogEvent[];
  /** Boot segments seen in kernel lines with both clocks (one record per boot, not per line). */
  boots: BootRun[];
  /** Newest UTC year per host among lines with a full date (exact or zone-assumed time). */
  years: Map<string, number>;
}

/** Options of {@link readAll}. */
export interface ReadAllOptions {
  /** Worker threads; default the number of cores. 1 reads on the calling thread. */
  jobs?: number;
  /** Rules the classifier was built from (workers rebuild it). */
  rules: readonly LoadedRule[];
  /** Workers to reuse across calls (closed by the caller); without it, workers live for this call. */
  pool?: WorkerPool;
  /** Also keep unclassified events this accepts: forces the reference path (every line is needed). */
  keep?: (e: LogEvent) => boolean;
  /** Use the fast path where the format allows it (default true). */
  fast?: boolean;
  fastOptions?: FastOptions;
  signal?: AbortSignal;
  progress?(bytes: number): void;
}

/** Programs of events made by snapshot parsers (src/parsers/kube-objects.ts, prometheus.ts). */
const SNAPSHOT_PROGRAMS = ['kube-objects', 'metrics'];

/**
 * Reads inputs, classifying their events with `classifier`, on up to `jobs` worker threads (largest
 * first; a large plain text file is cut into byte ranges read in parallel, see split.ts). Results come
 * back in task order, so the merged report does not depend on the number of workers.
 */
export async function readAll(tasks: readonly ReadTask[], classifier: Classifier, options: ReadAllOptions): Promise<ReadResult[]> {
  const jobs = Math.max(1, options.jobs ?? defaultJobs());
  // The fast path reads text logs only; signatures of snapshot parsers (kubectl objects, metrics) never apply there.
  const literals = options.fast === false || options.keep ? null : classifier.prefilterLiterals(SNAPSHOT_PROGRAMS);
  const results = new Array<ReadResult>(tasks.length);

  // Units of work: whole inputs, and the ranges of large files (a few per thread, for balance).
  const units: Array<{ task: number; t: ReadTask }> = [];
  const cut = new Map<number, ByteRange[]>();
  const totalBytes = tasks.reduce((a, t) => a + t.size, 0);
  // (Floored: a single file makes exactly jobs * 4 ranges, a multiple of the threads.)
  const rangeBytes = options.fastOptions?.rangeBytes ?? Math.max(MIN_RANGE_BYTES, Math.floor(totalBytes / (jobs * 4)));
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i];
    const ranges =
      jobs > 1 && t.abs && t.compression === 'none' && !options.keep && hasFastScan(t.parser.id, literals)
        ? planRanges({ ...t, abs: t.abs }, Math.floor(t.size / rangeBytes))
        : null;
    if (!ranges) units.push({ task: i, t });
    else {
      cut.set(i, ranges);
      for (const range of ranges) units.push({ task: i, t: { ...t, range, size: range.end - range.start } });
    }
  }
  const unitResults = await readUnits(units.map((u) => u.t), classifier, literals, { ...options, jobs });
  const parts = new Map<number, ReadResult[]>();
  for (let u = 0; u < units.length; u++) {
    const i = units[u].task;
    if (cut.has(i)) pushTo(parts, i, unitResults[u]);
    else results[i] = unitResults[u];
  }
  for (const [i, ranges] of cut) {
    const merged = mergeRanges(parts.get(i)!, ranges);
    // A goroutine dump open at a cut: the file is read again, whole.
    results[i] = merged ?? (await readUnits([tasks[i]], classifier, literals, { ...options, jobs }))[0];
  }
  for (const r of results) settleGaps(r.obs);
  return results;
}

/**
 * Reads each task (a whole input or one range of one): this thread takes part, with `jobs - 1`
 * workers, all taking from one queue, largest first, each keeping to a format ({@link UnitQueue}; a
 * worker costs a start-up and an isolate's memory; this thread would only wait otherwise). Inputs held
 * in memory are read on this thread.
 */
async function readUnits(tasks: readonly ReadTask[], classifier: Classifier, literals: readonly string[] | null, options: ReadAllOptions & { jobs: number }): Promise<ReadResult[]> {
  const jobs = Math.min(options.jobs, tasks.length);
  const results = new Array<ReadResult>(tasks.length);
  const order = tasks.map((_, i) => i).sort((a, b) => tasks[b].size - tasks[a].size || a - b);
  const isMine = (i: number): boolean => jobs === 1 || !tasks[i].abs || !!options.keep;
  const mine = order.filter(isMine);
  const queue = new UnitQueue(
    order.filter((i) => !isMine(i)),
    (i) => tasks[i].parser.id,
  );

  // (This thread takes one unit itself.)
  const helpers = queue.size > 1 ? Math.min(jobs - 1, queue.size - 1) : 0;
  const runLocal = async (): Promise<void> => {
    for (const i of mine) results[i] = await readOne(tasks[i], classifier, literals, options);
    for (let i = queue.take(0); i >= 0; i = queue.take(0)) results[i] = await readOne(tasks[i], classifier, literals, options);
  };
  const running: Array<Promise<void>> = [runLocal()];
  const pool = options.pool ?? new WorkerPool(options.rules);
  try {
    const workers = helpers > 0 ? pool.take(helpers) : [];
    workers.forEach((worker, k) => {
      running.push(
        (async () => {
          for (let i = queue.take(k + 1); i >= 0; i = queue.take(k + 1)) results[i] = await readInWorker(worker, tasks[i], literals, options);
        })(),
      );
    });
    await Promise.all(running);
  } finally {
    if (!options.pool) await pool.close();
  }
  return results;
}

/**
 * Worker threads kept for a whole ingest: each compiles the rule pack once (about 0.3 s), so reading
 * rounds and archive members reuse them instead of starting new ones.
 */
export class WorkerPool {
  private readonly workers: Worker[] = [];
  constructor(private readonly rules: readonly LoadedRule[]) {}

  /** `n` workers: readers the CLI started early ({@link prestartReaders}) first, then new ones. */
  take(n: number): Worker[] {
    while (this.workers.length < n) {
      const worker = adoptReader() ?? spawnReader();
      const init: ReaderMessage = { type: 'init', rules: [...this.rules] };
      worker.postMessage(init);
      this.workers.push(worker);
    }
    return this.workers.slice(0, n);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.terminate()));
  }
}

/** Reads one input on this thread. */
export async function readOne(task: ReadTask, classifier: Classifier, literals: readonly string[] | null, options: Pick<ReadAllOptions, 'keep' | 'fastOptions' | 'signal' | 'progress'>): Promise<ReadResult> {
  const kept: LogEvent[] = [];
  const boots = new BootRuns();
  const years = new Map<string, number>();
  const input: InputToRead = {
    open: task.open,
    abs: task.abs,
    rel: task.rel,
    host: task.host,
    sniffed: { compression: task.compression, eol: task.eol, head: EMPTY },
    parser: task.parser,
    year: task.year,
    tz: task.tz,
    mtime: task.mtime,
    size: task.abs ? task.size : undefined,
    range: task.range,
  };
  const seeYear = (host: string, ts: number, quality: TimeQuality): void => {
    if ((quality === 'exact' || quality === 'zone-assumed') && Number.isFinite(ts)) {
      const y = new Date(ts / 1000).getUTCFullYear();
      if (y > (years.get(host) ?? 0)) years.set(host, y);
    }
  };
  const anchor = (host: string, wall: number, mono: number, precision: number, quality: TimeQuality): void => {
    boots.observe(host, wall, mono, precision);
    seeYear(host, wall, quality);
  };
  const fast = fastScanFor(task.parser.id, literals, options.fastOptions);
  const { summary, obs } = await readInput(
    input,
    {
      signal: options.signal,
      progress: options.progress,
      event: (e, unmatched) => {
        if (e.mono !== undefined && Number.isFinite(e.ts)) anchor(e.host, e.ts, e.mono, e.precision, e.quality);
        else seeYear(e.host, e.ts, e.quality);
        const typed = unmatched ? NO_EVENTS : classifier.classify(e);
        if (typed.length > 0) for (const c of typed) kept.push(c);
        else if (options.keep?.(e)) kept.push(e);
      },
      anchor,
    },
    fast,
  );
  return { summary, obs, kept, boots: boots.runs, years };
}

const EMPTY = Buffer.alloc(0);
const NO_EVENTS: LogEvent[] = [];

/** Messages between {@link readAll} and its workers. */
export type WorkerRequest = {
  type: 'read';
  abs: string;
  rel: string;
  host: string | undefined;
  compression: 'gzip' | 'none';
  eol: 0x0a | 0x0d;
  format: string;
  year: number;
  tz: string;
  mtime?: number;
  size: number;
  range?: ByteRange;
  literals: string[] | null;
  fastOptions?: FastOptions;
};
/** What a reader thread receives: its rules once, then read requests. */
export type ReaderMessage = { type: 'init'; rules: LoadedRule[] } | WorkerRequest;
export type WorkerReply = { type: 'progress'; bytes: number } | { type: 'done'; result: ReadResult } | { type: 'error'; message: string };

function readInWorker(worker: Worker, task: ReadTask, literals: readonly string[] | null, options: ReadAllOptions): Promise<ReadResult> {
  return new Promise<ReadResult>((resolve, reject) => {
    const onAbort = (): void => {
      cleanup();
      void worker.terminate();
      reject(options.signal?.reason ?? new Error('aborted'));
    };
    const onMessage = (m: WorkerReply): void => {
      if (m.type === 'progress') options.progress?.(m.bytes);
      else {
        cleanup();
        if (m.type === 'done') resolve(m.result);
        else reject(new Error(m.message));
      }
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      options.signal?.removeEventListener('abort', onAbort);
    };
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', onMessage);
    worker.on('error', onError);
    const req: WorkerRequest = {
      type: 'read',
      abs: task.abs!,
      rel: task.rel,
      host: task.host,
      compression: task.compression,
      eol: task.eol,
      format: task.parser.id,
      year: task.year,
      tz: task.tz,
      mtime: task.mtime?.getTime(),
      size: task.compression === 'none' ? task.size : 0,
      range: task.range,
      literals: literals ? [...literals] : null,
      fastOptions: options.fastOptions,
    };
    worker.postMessage(req);
  });
}

/** Worker side: a handler answering read requests through `post`, with a classifier built from the rules. */
export function readerHandler(rules: readonly LoadedRule[], post: (m: WorkerReply) => void): (req: WorkerRequest) => void {
  const classifier = new Classifier(rules);
  return (req) => {
    const parser = formatById(req.format);
    if (!parser) {
      post({ type: 'error', message: `unknown format ${req.format}` });
      return;
    }
    let pending = 0;
    const task: ReadTask = {
      abs: req.abs,
      // Compressed files only: plain ones are read as planned (`size`) through readFileChunks.
      open: () => createReadStream(req.abs, { highWaterMark: CHUNK_BYTES }),
      rel: req.rel,
      host: req.host,
      compression: req.compression,
      eol: req.eol,
      parser,
      year: req.year,
      tz: req.tz,
      mtime: req.mtime === undefined ? undefined : new Date(req.mtime),
      size: req.size,
      range: req.range,
    };
    readOne(task, classifier, req.literals, {
      fastOptions: req.fastOptions,
      progress: (n) => {
        pending += n;
        if (pending >= 8 * CHUNK_BYTES) {
          post({ type: 'progress', bytes: pending });
          pending = 0;
        }
      },
    }).then(
      (result) => {
        if (pending > 0) post({ type: 'progress', bytes: pending });
        post({ type: 'done', result });
      },
      (err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
    );
  };
}
