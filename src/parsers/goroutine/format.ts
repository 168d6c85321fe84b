import type { LogEvent } from '../../model/event.js';
import type { FormatParser, LineParser, ParseContext } from '../types.js';
import { GoroutineDumpAssembler, type DetailedDump } from './assembler.js';
import { isStdlibFunc } from './lines.js';
import type { GoroutineBucket } from './types.js';

/** Most ids listed in a bucket event. */
const MAX_IDS = 50;

/** The frame that names a bucket: the first one outside the standard library, else the first. */
export function bucketTopFunc(b: GoroutineBucket): string {
  for (const f of b.frames) if (!isStdlibFunc(f.func)) return f.func;
  return b.frames[0]?.func ?? b.createdBy?.func ?? '(no frames)';
}

/** `[select, 33 minutes, locked to thread]` as Go prints it, with the bucket's largest wait. */
export function bucketStateLabel(b: GoroutineBucket): string {
  const base = b.lockedToThread ? b.state.slice(0, b.state.length - ', locked to thread'.length) : b.state;
  let s = base;
  if (b.waitMinutes) s += `, ${b.waitMinutes.max} minutes`;
  if (b.lockedToThread) s += ', locked to thread';
  return `[${s}]`;
}

/**
 * Events of one dump: one for the dump, one per bucket. Times are NaN here: a standalone file's dump
 * is placed later, an embedded one takes the time of the log line that carries it.
 */
export function emitDump(d: DetailedDump, ctx: Pick<ParseContext, 'host' | 'file' | 'warn'>, emit: (e: LogEvent) => void): void {
  const dump = d.dump;
  const host = ctx.host ?? 'unknown';
  for (const w of dump.warnings) ctx.warn(w.line, w.message);
  const headerNote = dump.header?.panic ? ` (${dump.header.panic})` : dump.header?.signal ? ` (${dump.header.signal})` : '';
  emit({
    ts: NaN,
    quality: 'none',
    precision: 0,
    host,
    file: ctx.file,
    line: dump.startLine,
    lines: dump.endLine - dump.startLine + 1,
    offset: d.startOffset,
    format: 'goroutine',
    text: d.startText,
    msg: `goroutine dump: ${dump.goroutineCount} goroutines in ${dump.buckets.length} buckets${headerNote}`,
    data: { dump: { goroutines: dump.goroutineCount, buckets: dump.buckets.length, header: dump.header ?? null } },
  });
  dump.buckets.forEach((b, i) => {
    const ev = d.bucketEvidence[i]!;
    emit({
      ts: NaN,
      quality: 'none',
      precision: 0,
      host,
      file: ctx.file,
      line: b.line,
      lines: ev.endLine - b.line + 1,
      offset: ev.offset,
      format: 'goroutine',
      text: ev.text,
      msg: `${b.count} goroutine${b.count === 1 ? '' : 's'} ${bucketStateLabel(b)}: ${bucketTopFunc(b)}`,
      data: {
        goroutine: {
          state: b.state,
          waitMinutes: b.waitMinutes?.max ?? null,
          waitMinutesMin: b.waitMinutes?.min ?? null,
          count: b.count,
          frames: b.frames.map((f) => ({ func: f.func, file: f.file, line: f.line })),
          createdBy: b.createdBy ?? null,
          lockedToThread: b.lockedToThread,
          ids: b.ids.slice(0, MAX_IDS),
        },
      },
    });
  });
}

/** Share of the lines that a fresh assembler consumes; 0 unless a goroutine header or `created by` was seen. */
function detect(lines: readonly string[]): number {
  const asm = new GoroutineDumpAssembler({ keepGoroutines: false });
  let nonEmpty = 0;
  let understood = 0;
  let strong = false;
  lines.forEach((l, i) => {
    if (l.trim() === '') {
      asm.line(l, i + 1);
      return;
    }
    nonEmpty++;
    if (asm.line(l, i + 1)) {
      understood++;
      if (!strong && (l.includes('goroutine ') || l.includes('created by '))) strong = true;
    }
  });
  if (nonEmpty === 0 || !strong) return 0;
  return understood / nonEmpty;
}

/** FormatParser for standalone dump files, id 'goroutine' (see src/parsers/types.ts). */
export const goroutineFormat: FormatParser = {
  id: 'goroutine',
  description: 'Go goroutine dumps (pprof debug=2, SIGQUIT, panics), bucketed by identical stacks',
  detect,
  create(ctx: ParseContext, emit: (event: LogEvent) => void): LineParser {
    const asm = new GoroutineDumpAssembler();
    const flush = (dumps: DetailedDump[]): void => {
      for (const d of dumps) emitDump(d, ctx, emit);
    };
    return {
      line(text: string, lineNo: number, offset: number): boolean {
        const ok = asm.line(text, lineNo, offset);
        flush(asm.takeDetailed());
        return ok || text.trim() === '';
      },
      end(): void {
        flush(asm.endDetailed());
      },
    };
  },
  samples: [
    { line: 'goroutine 1 [running]:' },
    { line: 'goroutine 22 [sleep, 1 minutes]:' },
    { line: 'goroutine 52 gp=0xc000674c40 m=3 mp=0xc000100008 [running]:' },
    { line: 'goroutine 7 [running, locked to thread]:' },
  ],
};
