import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { InputSummary } from '../model/report.js';
import { discover } from '../input/discover.js';
import { sniffBuffer, sniffFile, type Sniffed } from '../input/sniff.js';
import { CHUNK_BYTES } from '../ingest/read-input.js';

/** An input found and recognised, not read yet. */
export interface PlannedInput {
  /** Path shown in evidence. */
  rel: string;
  /** Host implied by the layout or `--host`. */
  host: string | undefined;
  sniffed: Sniffed;
  /** Size on disk (compressed size for .gz). */
  size: number;
  /** Modification time, the last resort for year-less timestamps. */
  mtime: Date;
  open(): Readable;
}

export interface PlanOptions {
  host?: string;
}

/** Finds inputs under the paths and recognises each by content; what cannot be read is a skipped summary. */
export async function planInputs(paths: readonly string[], options: PlanOptions = {}): Promise<{ planned: PlannedInput[]; skipped: InputSummary[] }> {
  const { files, problems } = await discover(paths);
  const skipped: InputSummary[] = problems.map((p) => skippedInput(p.path, options.host ?? 'unknown', p.message));
  const planned: PlannedInput[] = [];
  for (const f of files) {
    const host = f.hostFromPath ?? options.host;
    try {
      const st = await stat(f.abs);
      if (st.size === 0) {
        skipped.push(skippedInput(f.rel, host ?? 'unknown', 'empty file'));
        continue;
      }
      const sniffed = await sniffFile(f.abs);
      planned.push({
        rel: f.rel,
        host,
        sniffed,
        size: st.size,
        mtime: st.mtime,
        open: () => createReadStream(f.abs, { highWaterMark: CHUNK_BYTES }),
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ELOOP' ? 'symlink loop' : code ?? (err as Error).message;
      skipped.push(skippedInput(f.rel, host ?? 'unknown', `cannot read: ${why}`));
    }
  }
  return { planned, skipped };
}

/** An input held in memory (rule examples, tests, archive members already buffered). */
export function memoryInput(rel: string, content: string | Buffer, host?: string, mtime = new Date()): PlannedInput {
  const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return { rel, host, sniffed: sniffBuffer(buf), size: buf.length, mtime, open: () => Readable.from([buf]) };
}

export function skippedInput(path: string, host: string, reason: string, compression?: 'gzip' | 'none'): InputSummary {
  return {
    path,
    format: 'skipped',
    host,
    lines: 0,
    unparsed: 0,
    first: null,
    last: null,
    warnings: [{ line: 0, message: `skipped: ${reason}` }],
    skipped: reason,
    ...(compression ? { compression } : {}),
  };
}
