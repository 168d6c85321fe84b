import { createRequire } from 'node:module';
import type CliProgress from 'cli-progress';

/** Where to draw and whether to draw at all. */
export interface ProgressOptions {
  /** Usually `process.stderr`. */
  stream: NodeJS.WriteStream;
  /** The CLI enables it only when stderr is a TTY, not with `--json`, not when `CI` is set. */
  enabled: boolean;
}

/** What {@link Progress.update} reports (same shape as `AnalyzeProgress`). */
export interface ProgressUpdate {
  bytesRead: number;
  bytesTotal: number;
  inputsDone: number;
  inputsTotal: number;
}

/** A progress line; both methods are no-ops when disabled, and `stop()` may be called twice. */
export interface Progress {
  update(p: ProgressUpdate): void;
  stop(): void;
}

const NOOP: Progress = { update() {}, stop() {} };

/**
 * A one-line progress bar on `stream`: bytes read of total, MB/s, ETA and inputs done. Redraws at
 * most 10 times per second (cli-progress throttles), so calling `update` per chunk is cheap.
 */
export function createProgress(options: ProgressOptions): Progress {
  if (!options.enabled) return NOOP;
  // Loaded only when a bar is drawn (a terminal): --json, pipes and CI never pay for it. CommonJS.
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof CliProgress;
  const started = performance.now();
  const bar = new cliProgress.SingleBar(
    {
      stream: options.stream,
      format: 'reading {bar} {percentage}% | {readMB}/{totalMB} MB | {speed} MB/s | ETA {etaText} | inputs {inputsDone}/{inputsTotal}',
      barsize: 24,
      fps: 10,
      hideCursor: true,
      clearOnComplete: true,
      stopOnComplete: false,
      // The CLI decides about TTYs; the stream given is drawn on.
      noTTYOutput: true,
      notTTYSchedule: 1000,
      linewrap: false,
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let running = false;
  let stopped = false;
  const payload = (p: ProgressUpdate): Record<string, string | number> => {
    const secs = (performance.now() - started) / 1000;
    return {
      readMB: mb(p.bytesRead),
      totalMB: mb(p.bytesTotal),
      speed: secs > 0.05 ? (p.bytesRead / 1e6 / secs).toFixed(1) : '0.0',
      // From the average rate so far: steadier than cli-progress's short window on bursty reads.
      etaText: secs > 0.05 && p.bytesRead > 0 ? eta(((p.bytesTotal - p.bytesRead) * secs) / p.bytesRead) : '--',
      inputsDone: p.inputsDone,
      inputsTotal: p.inputsTotal,
    };
  };
  return {
    update(p) {
      if (stopped) return;
      const total = Math.max(1, p.bytesTotal);
      const read = Math.min(Math.max(0, p.bytesRead), total);
      if (!running) {
        running = true;
        bar.start(total, read, payload(p));
      } else {
        if (bar.getTotal() !== total) bar.setTotal(total);
        bar.update(read, payload(p));
      }
    },
    stop() {
      if (stopped) return;
      stopped = true;
      if (running) bar.stop();
    },
  };
}

function eta(secs: number): string {
  if (!Number.isFinite(secs) || secs < 0) return '--';
  const s = Math.ceil(secs);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(bytes < 1e8 ? 1 : 0);
}
