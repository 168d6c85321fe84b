import type { Readable } from 'node:stream';
import type { FormatId } from '../model/event.js';
import type { InputSummary } from '../model/report.js';
import { headLines } from '../input/sniff.js';
import { detectFormat } from '../parsers/registry.js';
import { memoryInput, planInputs, skippedInput, type PlannedInput } from '../pipeline/plan.js';
import { InputError, throwIfAborted } from './errors.js';

/** A discovered input, recognised by content and not read yet. Made by {@link openInputs} or {@link inputFromText}. */
export interface InputHandle {
  /** Path shown in evidence (relative to the argument it was found under). */
  readonly path: string;
  /** Host implied by the folder layout or the `host` option; undefined when unknown. */
  readonly host: string | undefined;
  /** Format detected from the first lines (`syslog`, `kern.log`, `goroutine`, ...). */
  readonly format: FormatId;
  /** Compression detected from the content (`.gz` by magic bytes, not by name). */
  readonly compression: 'gzip' | 'none';
  /** Size on disk in bytes (compressed size for gzip). */
  readonly size: number;
  /** Modification time: the last resort for year-less timestamps and standalone goroutine dumps. */
  readonly mtime: Date;
  /** Opens the raw bytes (still compressed when `compression` is `gzip`); each call opens a new stream. */
  open(): Readable;
}

/** Options of {@link openInputs}. */
export interface OpenInputsOptions {
  /** Host for inputs whose location names none. */
  host?: string;
  /** Stops discovery between inputs; rejects with `E_ABORTED`. */
  signal?: AbortSignal;
}

/** Result of {@link openInputs}. */
export interface OpenedInputs {
  /** Readable inputs, in discovery order. */
  inputs: InputHandle[];
  /** What was found but cannot be read (missing, empty, binary, unknown format), with the reason in `skipped`. */
  skipped: InputSummary[];
}

const planned = new WeakMap<InputHandle, PlannedInput>();

/** The pipeline's view of a handle made by this module; undefined for foreign objects. */
export function plannedOf(h: InputHandle): PlannedInput | undefined {
  return planned.get(h);
}

function handle(p: PlannedInput, format: FormatId): InputHandle {
  const h: InputHandle = {
    path: p.rel,
    host: p.host,
    format,
    compression: p.sniffed.compression,
    size: p.size,
    mtime: p.mtime,
    open: () => p.open(),
  };
  planned.set(h, p);
  return h;
}

/** Sorts a planned input into a handle, or the reason it cannot be parsed. */
function classify(p: PlannedInput): InputHandle | InputSummary {
  if (p.sniffed.binary) return skippedInput(p.rel, p.host ?? 'unknown', p.sniffed.binary, p.sniffed.compression);
  const parser = detectFormat(headLines(p.sniffed));
  if (!parser) {
    const what = p.sniffed.head.length === 0 ? 'no text could be decompressed' : 'not a recognised log format';
    return skippedInput(p.rel, p.host ?? 'unknown', what, p.sniffed.compression);
  }
  return handle(p, parser.id);
}

/**
 * Finds the inputs under `paths` (files, folders walked recursively, globs), recognises each by
 * content (gzip, format) and returns handles to read with {@link parse} or {@link ingest}. Never
 * throws for a bad path: it is listed in `skipped` with the reason.
 *
 * @example
 * ```ts
 * const { inputs, skipped } = await openInputs(['./bundle']);
 * for (const i of inputs) console.log(i.path, i.format, i.host);
 * ```
 */
export async function openInputs(paths: readonly string[], options: OpenInputsOptions = {}): Promise<OpenedInputs> {
  throwIfAborted(options.signal, 'openInputs aborted');
  const { planned: found, skipped } = await planInputs(paths, { host: options.host });
  throwIfAborted(options.signal, 'openInputs aborted');
  const inputs: InputHandle[] = [];
  for (const p of found) {
    const r = classify(p);
    if ('open' in r) inputs.push(r);
    else skipped.push(r);
  }
  return { inputs, skipped };
}

/** Options of {@link inputFromText}. */
export interface TextInputOptions {
  host?: string;
  /** Stands in for a file's modification time (default: now). */
  mtime?: Date;
}

/**
 * An input held in memory (an upload, a test fixture, text from a pipe): plain or gzip bytes.
 *
 * @throws {@link InputError} `E_INPUT_UNREADABLE` when the content is binary or no known format.
 */
export function inputFromText(name: string, content: string | Uint8Array, options: TextInputOptions = {}): InputHandle {
  const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const r = classify(memoryInput(name, buf, options.host, options.mtime));
  if ('open' in r) return r;
  throw new InputError('E_INPUT_UNREADABLE', name, `${name}: ${r.skipped ?? 'unreadable'}`);
}
