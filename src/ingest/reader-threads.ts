/**
 * Reader worker threads: how they are spawned, and starting them early.
 *
 * A reader takes about 40 ms to boot (an isolate, Node's bootstrap, then the parsers and rules
 * modules). Spawned when the inputs are planned, that boot competes with the calling thread's own
 * start of reading. The CLI instead starts readers before it loads the rest of the program (about
 * 45 ms of module loading on one core, the others idle): {@link prestartReaders} there, and the
 * WorkerPool of parallel.ts adopts them. Readers get their rules in a first message (`init`, see
 * ReaderMessage in parallel.ts), since the rules are not known yet when they start.
 *
 * This module imports nothing of the project, so that the CLI entry can load it at once.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** Default number of reading threads: the cores this process may run on. */
export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/** Inputs smaller than this in all are read on the calling thread: a reader costs its boot and an isolate. */
export const PARALLEL_MIN_BYTES = 64 * 2 ** 20;

/** A byte range of a large plain file (split.ts) is worth its thread from this size on. */
export const MIN_RANGE_BYTES = 64 * 2 ** 20;

/**
 * A reader's young generation: V8 grows it to 48 MB under a steady allocation rate, which the scan
 * does not need (measured on 2 GB: same speed, 12 MB less per worker).
 */
const READER_LIMITS = { maxYoungGenerationSizeMb: 6 };

/** A new reader thread, waiting for its `init` message (worker.ts). */
export function spawnReader(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url), { resourceLimits: READER_LIMITS });
  // Running from the TypeScript sources (tests, tsx): the worker registers tsx's loader itself, since
  // `--import tsx` in a worker's execArgv does not reach the worker's module loader in Node 20.
  const url = new URL('./worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url)}); });`;
  return new Worker(boot, { eval: true, resourceLimits: READER_LIMITS });
}

const early: Worker[] = [];

/**
 * Starts `n` readers now, for {@link adoptReader} to hand out later. Until adopted they do not keep
 * the process alive, and one that fails to boot is dropped (a new one is spawned in its place).
 */
export function prestartReaders(n: number): void {
  for (let i = 0; i < n; i++) {
    const worker = spawnReader();
    worker.unref();
    const drop = (): void => {
      const k = early.indexOf(worker);
      if (k >= 0) early.splice(k, 1);
    };
    worker.once('error', drop);
    worker.once('exit', drop);
    early.push(worker);
  }
}

/** A reader started by {@link prestartReaders} and not yet adopted, now keeping the process alive. */
export function adoptReader(): Worker | undefined {
  const worker = early.shift();
  worker?.ref();
  return worker;
}

/**
 * How many readers the CLI should start early for `argv` (its arguments after the script): those
 * `--jobs` (default the cores) asks for besides the main thread, for `analyze` only, and none when the
 * inputs would be read on one thread anyway (under {@link PARALLEL_MIN_BYTES} in all, or one file too
 * small to be cut in two ranges). `filesOf` gives the sizes of the files an argument names (itself, or
 * those under a folder; none for what is not on disk: option values, quoted globs). A wrong guess (a
 * large .gz, which is not cut) only costs a reader's boot on another core, or gives up the head start.
 */
export function earlyReaderCount(argv: readonly string[], filesOf: (path: string) => readonly number[], cores = defaultJobs()): number {
  if (argv[0] !== 'analyze' || argv.includes('--help') || argv.includes('-h')) return 0;
  let jobs = cores;
  let files = 0;
  let total = 0;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--jobs' || a.startsWith('--jobs=')) {
      const n = Number(a === '--jobs' ? argv[++i] : a.slice('--jobs='.length));
      if (!Number.isInteger(n) || n < 1) return 0;
      jobs = n;
    } else if (!a.startsWith('-')) {
      for (const size of filesOf(a)) {
        files++;
        total += size;
      }
    }
  }
  const parallel = total >= PARALLEL_MIN_BYTES && (files > 1 || total >= 2 * MIN_RANGE_BYTES);
  return jobs > 1 && parallel ? jobs - 1 : 0;
}
