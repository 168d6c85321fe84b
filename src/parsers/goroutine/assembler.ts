import type {
  GoFrame,
  Goroutine,
  GoroutineAssemblerOptions,
  GoroutineBucket,
  GoroutineDump,
  GoroutineDumpHeader,
} from './types.js';
import {
  CRASH_MARKERS,
  PREFIX_OK,
  isElided,
  parseCallLine,
  parseCrashLine,
  parseCreatedBy,
  parseFileLine,
  parseHeader,
  parseOriginating,
  type HeaderLine,
} from './lines.js';

/**
 * Where the state machine is. From/to:
 * - IDLE: no dump open. Header -> FRAMES; crash line -> PREAMBLE; anything else is not ours.
 * - PREAMBLE: crash lines seen, no goroutine yet. Header -> FRAMES; `runtime stack:` -> RUNTIME_STACK.
 * - FRAMES: inside a goroutine, expecting a call, `created by`, elision, `[originating ...]` or blank.
 *   Call -> FILE; `created by` -> CREATED_FILE; blank -> BETWEEN.
 * - FILE: a call was read, its `\tfile:line` must follow -> FRAMES (a missing one is warned and tolerated).
 * - CREATED_FILE: after `created by`, optional file line -> AFTER_CREATED.
 * - AFTER_CREATED: only `[originating from goroutine N]:` (-> FRAMES of an ancestor) or blank/header.
 * - BETWEEN: between goroutines of an open dump. Header -> FRAMES; junk closes the dump (-> IDLE).
 * - RESYNC: a goroutine was malformed and dropped; dump-looking lines are swallowed until the next header.
 * - RUNTIME_STACK: the `runtime stack:` section of a fatal error; frames are read and dropped until blank.
 */
/** Crash lines that begin a new dump when they follow complete goroutines. */
const STARTS_DUMP = new Set(['panic', 'fatal', 'fault', 'sigquit']);

const enum St {
  IDLE,
  PREAMBLE,
  FRAMES,
  FILE,
  CREATED_FILE,
  AFTER_CREATED,
  BETWEEN,
  RESYNC,
  RUNTIME_STACK,
}

interface BucketBuilder {
  bucket: GoroutineBucket;
  /** Raw header line and offset of the first goroutine, for evidence. */
  text: string;
  offset: number;
  endLine: number;
}

interface DumpBuilder {
  goroutines: Goroutine[];
  count: number;
  buckets: Map<string, BucketBuilder>;
  header: GoroutineDumpHeader | undefined;
  startLine: number;
  endLine: number;
  startOffset: number;
  startText: string;
  warnings: Array<{ line: number; message: string }>;
  seenIds: Set<number>;
  /** Goroutine headers read, including goroutines dropped as malformed. */
  headers: number;
}

/** A finished dump with the extra evidence the LogEvent emitter needs. */
export interface DetailedDump {
  dump: GoroutineDump;
  startOffset: number;
  startText: string;
  /** Per bucket (same order as dump.buckets): raw header line, its byte offset, last line of the first goroutine. */
  bucketEvidence: Array<{ text: string; offset: number; endLine: number }>;
}

/**
 * Incremental goroutine dump parser: feed lines one by one; completed dumps are collected.
 *
 * Forgiving: malformed goroutines are dropped with a line-numbered warning and parsing resumes at
 * the next `goroutine N [` header. Lines of other text between dumps are refused (`line()` returns false).
 * A constant prefix on every line (BuildKit's `200.0 `) is detected from the first header and stripped.
 */
export class GoroutineDumpAssembler {
  private readonly keep: boolean;
  private st: St = St.IDLE;
  private dump: DumpBuilder | undefined;
  private g: Goroutine | undefined;
  private gText = '';
  private gOffset = 0;
  private gEnd = 0;
  /** Frames being filled: the goroutine's own, or the current ancestor's. */
  private frames: GoFrame[] | undefined;
  private inAncestor = false;
  private pending: { func: string; args: string; line: number } | undefined;
  private prefix = '';
  private prefixBare = '';
  private done: DetailedDump[] = [];
  private readonly strings = new Map<string, string>();

  constructor(options?: GoroutineAssemblerOptions) {
    this.keep = options?.keepGoroutines ?? true;
  }

  /** Feeds one line; returns true when the line belongs to a dump (consumed), false when it is not dump text. */
  line(text: string, lineNo: number, offset = 0): boolean {
    let body = text;
    if (this.prefix !== '') {
      if (text.startsWith(this.prefix)) body = text.slice(this.prefix.length);
      else if (text === this.prefixBare) body = '';
    }
    if (body.length > 0 && body.charCodeAt(body.length - 1) === 13) body = body.slice(0, -1);
    if (this.st !== St.IDLE) {
      if (this.inDump(body, text, lineNo, offset)) return true;
      this.closeDump();
    }
    return this.idle(text, body, lineNo, offset);
  }

  /** Dumps completed so far are returned and forgotten (a dump completes when a non-dump line follows it, or at end()). */
  take(): GoroutineDump[] {
    return this.takeDetailed().map((d) => d.dump);
  }

  /** Ends the input: closes any open dump and returns all completed dumps not yet taken. */
  end(): GoroutineDump[] {
    return this.endDetailed().map((d) => d.dump);
  }

  /** As {@link take}, with evidence (offsets, raw header lines) for event emission. */
  takeDetailed(): DetailedDump[] {
    const out = this.done;
    this.done = [];
    return out;
  }

  /** As {@link end}, with evidence. */
  endDetailed(): DetailedDump[] {
    if (this.st !== St.IDLE) this.closeDump();
    return this.takeDetailed();
  }

  // ---- states -------------------------------------------------------------------------------

  private idle(text: string, body: string, lineNo: number, offset: number): boolean {
    this.prefix = '';
    this.prefixBare = '';
    body = text.length > 0 && text.charCodeAt(text.length - 1) === 13 ? text.slice(0, -1) : text;
    if (body.length === 0) return false;
    if (this.tryStart(body, text, lineNo, offset)) return true;
    // A constant prefix before a header or crash marker (BuildKit `200.0 `, echoed `^\`).
    const gAt = body.indexOf('goroutine ');
    if (gAt > 0 && gAt <= 64 && parseHeader(body, gAt)) {
      return this.adoptPrefix(body, gAt, text, lineNo, offset);
    }
    for (const marker of CRASH_MARKERS) {
      const at = body.indexOf(marker);
      if (at > 0 && PREFIX_OK.test(body.slice(0, at))) return this.adoptPrefix(body, at, text, lineNo, offset);
    }
    return false;
  }

  private adoptPrefix(body: string, at: number, text: string, lineNo: number, offset: number): boolean {
    const prefix = body.slice(0, at);
    if (!this.tryStart(body.slice(at), text, lineNo, offset)) return false;
    this.prefix = prefix;
    this.prefixBare = prefix.trimEnd();
    return true;
  }

  /** Starts a dump when the body is a header or a crash line. */
  private tryStart(body: string, text: string, lineNo: number, offset: number): boolean {
    const h = body.charCodeAt(0) === 103 /* g */ ? parseHeader(body) : undefined;
    if (h) {
      this.openDump(lineNo, offset, text);
      this.startGoroutine(h, text, lineNo, offset);
      return true;
    }
    const crash = parseCrashLine(body);
    if (crash && crash.kind !== 'other') {
      this.openDump(lineNo, offset, text);
      this.applyCrash(crash);
      this.st = St.PREAMBLE;
      return true;
    }
    return false;
  }

  /** Handles a line while a dump is open; false when the line is not part of it (the dump then closes). */
  private inDump(body: string, text: string, lineNo: number, offset: number): boolean {
    const d = this.dump!;
    if (body.length === 0) {
      this.blank(lineNo);
      return true;
    }
    const c = body.charCodeAt(0);

    if (c === 103 /* g */) {
      const h = parseHeader(body);
      if (h) {
        this.finishGoroutine();
        if (d.seenIds.has(h.id)) {
          // The same id again: a second dump follows without a separating line.
          this.closeDump();
          this.openDump(lineNo, offset, text);
        }
        this.startGoroutine(h, text, lineNo, offset);
        d.endLine = lineNo;
        return true;
      }
    }

    switch (this.st) {
      case St.PREAMBLE:
      case St.BETWEEN: {
        const crash = parseCrashLine(body);
        if (crash) {
          if (STARTS_DUMP.has(crash.kind) && d.count > 0 && this.st === St.BETWEEN) {
            // A new crash after complete goroutines: a second dump.
            this.closeDump();
            this.openDump(lineNo, offset, text);
            this.st = St.PREAMBLE;
          }
          this.applyCrash(crash);
          d.endLine = lineNo;
          return true;
        }
        if (body.startsWith('runtime stack:')) {
          this.st = St.RUNTIME_STACK;
          d.endLine = lineNo;
          return true;
        }
        if (this.st === St.PREAMBLE && (c === 9 || body.startsWith('runtime: ') || body.startsWith('goroutine '))) {
          // Continuation of the crash message (`\tpanic: ...`, `runtime: ...` notes).
          d.endLine = lineNo;
          return true;
        }
        if (isOrphanFrame(body, c)) {
          // Frames whose header was lost (rate-limited journal): skip them up to the next header.
          this.warn(lineNo, `stack lines without a goroutine header: ${body.trim().slice(0, 120)}`);
          this.st = St.RESYNC;
          d.endLine = lineNo;
          return true;
        }
        return false;
      }

      case St.RUNTIME_STACK:
      case St.RESYNC:
        if (c === 9 || parseCallLine(body) || body.startsWith('created by ') || isElided(body)) {
          d.endLine = lineNo;
          return true;
        }
        if (this.st === St.RESYNC && looksLikeGarbledFrame(body)) {
          d.endLine = lineNo;
          return true;
        }
        return false;

      case St.FILE: {
        if (c === 9) {
          const f = parseFileLine(body.slice(1));
          if (f) {
            const p = this.pending!;
            const fr: GoFrame = {
              func: p.func,
              args: p.args,
              file: f.file,
              line: f.line,
              inlined: p.args === '...',
            };
            if (f.offset !== undefined) fr.offset = f.offset;
            this.frames!.push(fr);
            this.pending = undefined;
            this.st = St.FRAMES;
            this.gEnd = lineNo;
            d.endLine = lineNo;
            return true;
          }
          if (body.includes('stack unavailable')) {
            this.gEnd = lineNo;
            d.endLine = lineNo;
            return true;
          }
        }
        // The file line is missing (truncated journal, hand-edited dump): keep the call, go on.
        this.warn(this.pending!.line, `goroutine ${this.g!.id}: no file:line after call ${this.pending!.func}`);
        this.flushPending();
        this.st = St.FRAMES;
        return this.frameLine(body, c, lineNo);
      }

      case St.CREATED_FILE: {
        if (c === 9) {
          const f = parseFileLine(body.slice(1));
          if (f) {
            if (!this.inAncestor && this.g!.createdBy) {
              this.g!.createdBy.file = f.file;
              this.g!.createdBy.line = f.line;
            }
            this.st = St.AFTER_CREATED;
            this.gEnd = lineNo;
            d.endLine = lineNo;
            return true;
          }
        }
        this.st = St.AFTER_CREATED;
        return this.frameLine(body, c, lineNo);
      }

      case St.FRAMES:
      case St.AFTER_CREATED:
        return this.frameLine(body, c, lineNo);

      default:
        return false;
    }
  }

  /** A line in FRAMES / AFTER_CREATED state. */
  private frameLine(body: string, c: number, lineNo: number): boolean {
    const d = this.dump!;
    const g = this.g!;
    if (c === 91 /* [ */) {
      const anc = parseOriginating(body);
      if (anc !== undefined) {
        const a = { id: anc, frames: [] as GoFrame[] };
        (g.ancestors ??= []).push(a);
        this.frames = a.frames;
        this.inAncestor = true;
        this.st = St.FRAMES;
        this.gEnd = lineNo;
        d.endLine = lineNo;
        return true;
      }
    }
    if (c === 99 /* c */ && body.startsWith('created by ')) {
      const cb = parseCreatedBy(body);
      if (cb) {
        if (!this.inAncestor) {
          g.createdBy = { func: cb.func };
          if (cb.goroutine !== undefined) g.createdBy.goroutine = cb.goroutine;
        }
        this.st = St.CREATED_FILE;
        this.gEnd = lineNo;
        d.endLine = lineNo;
        return true;
      }
    }
    if (c === 46 /* . */ && isElided(body)) {
      if (!this.inAncestor) g.framesElided = true;
      this.gEnd = lineNo;
      d.endLine = lineNo;
      return true;
    }
    if (this.st === St.FRAMES) {
      const call = parseCallLine(body);
      if (call) {
        this.pending = { func: call.func, args: call.args, line: lineNo };
        this.st = St.FILE;
        this.gEnd = lineNo;
        d.endLine = lineNo;
        return true;
      }
      if (c === 9) {
        this.warn(lineNo, `goroutine ${g.id}: file line without a call: ${body.trim().slice(0, 120)}`);
        d.endLine = lineNo;
        return true;
      }
    }
    if (looksLikeGarbledFrame(body)) {
      this.warn(lineNo, `goroutine ${g.id}: malformed line, goroutine dropped: ${body.slice(0, 120)}`);
      this.dropGoroutine();
      this.st = St.RESYNC;
      d.endLine = lineNo;
      return true;
    }
    return false;
  }

  private blank(lineNo: number): void {
    switch (this.st) {
      case St.FILE:
        this.warn(this.pending!.line, `goroutine ${this.g!.id}: no file:line after call ${this.pending!.func}`);
        this.flushPending();
        this.finishGoroutine();
        this.st = St.BETWEEN;
        break;
      case St.FRAMES:
      case St.CREATED_FILE:
      case St.AFTER_CREATED:
        this.finishGoroutine();
        this.st = St.BETWEEN;
        break;
      case St.RESYNC:
      case St.RUNTIME_STACK:
        this.st = St.BETWEEN;
        break;
      default:
        break;
    }
  }

  // ---- building ------------------------------------------------------------------------------

  private openDump(lineNo: number, offset: number, text: string): void {
    this.dump = {
      goroutines: [],
      count: 0,
      buckets: new Map(),
      header: undefined,
      startLine: lineNo,
      endLine: lineNo,
      startOffset: offset,
      startText: text,
      warnings: [],
      seenIds: new Set(),
      headers: 0,
    };
  }

  private applyCrash(crash: NonNullable<ReturnType<typeof parseCrashLine>>): void {
    const d = this.dump!;
    const h = (d.header ??= {});
    switch (crash.kind) {
      case 'panic':
        if (h.panic === undefined || h.panic.startsWith('unexpected fault')) h.panic = crash.value;
        break;
      case 'fatal':
        if (h.panic === undefined || h.panic.startsWith('unexpected fault')) h.panic = crash.value;
        break;
      case 'fault':
        h.panic ??= crash.value;
        break;
      case 'signal':
        h.signal ??= crash.signal;
        if (crash.pc !== undefined) h.pc ??= crash.pc;
        break;
      case 'sigquit':
        h.signal ??= crash.signal;
        break;
      case 'pc':
        h.pc ??= crash.pc;
        if (crash.m !== undefined) h.m ??= crash.m;
        break;
      default:
        break;
    }
  }

  private startGoroutine(h: HeaderLine, text: string, lineNo: number, offset: number): void {
    const g: Goroutine = {
      id: h.id,
      state: this.intern(h.state),
      lockedToThread: h.locked,
      frames: [],
      framesElided: false,
      line: lineNo,
    };
    if (h.waitMinutes !== undefined) g.waitMinutes = h.waitMinutes;
    if (h.gp !== undefined) g.gp = h.gp;
    if (h.m !== undefined) g.m = h.m;
    this.g = g;
    this.gText = text;
    this.gOffset = offset;
    this.gEnd = lineNo;
    this.frames = g.frames;
    this.inAncestor = false;
    this.pending = undefined;
    this.dump!.seenIds.add(h.id);
    this.dump!.headers++;
    this.st = St.FRAMES;
  }

  private flushPending(): void {
    const p = this.pending;
    if (!p || !this.frames) return;
    this.frames.push({ func: p.func, args: p.args, file: '', line: 0, inlined: p.args === '...' });
    this.pending = undefined;
  }

  private dropGoroutine(): void {
    this.g = undefined;
    this.frames = undefined;
    this.pending = undefined;
  }

  /** Completes the current goroutine (if any) into the dump's buckets. */
  private finishGoroutine(): void {
    const g = this.g;
    if (!g) return;
    if (this.st === St.FILE && this.pending) {
      this.warn(this.pending.line, `goroutine ${g.id}: no file:line after call ${this.pending.func}`);
      this.flushPending();
    }
    const d = this.dump!;
    if (g.frames.length === 0 && !g.framesElided) {
      this.warn(g.line, `goroutine ${g.id}: no frames`);
    }
    d.count++;
    const stateClass = g.lockedToThread ? `${g.state}, locked to thread` : g.state;
    let key = stateClass;
    for (const f of g.frames) key += `\n${f.func} ${f.file}:${f.line}`;
    if (g.framesElided) key += '\n...';
    if (g.createdBy) key += `\ncreated by ${g.createdBy.func}`;
    const b = d.buckets.get(key);
    // Interning costs a hash per string: only for goroutines that are kept.
    if (this.keep || !b) this.internAll(g);
    if (this.keep) d.goroutines.push(g);
    if (b) {
      const bk = b.bucket;
      bk.count++;
      bk.ids.push(g.id);
      if (g.waitMinutes !== undefined) {
        if (bk.waitMinutes === null) bk.waitMinutes = { min: g.waitMinutes, max: g.waitMinutes };
        else {
          if (g.waitMinutes < bk.waitMinutes.min) bk.waitMinutes.min = g.waitMinutes;
          if (g.waitMinutes > bk.waitMinutes.max) bk.waitMinutes.max = g.waitMinutes;
        }
      }
    } else {
      const bucket: GoroutineBucket = {
        key,
        state: stateClass,
        count: 1,
        ids: [g.id],
        waitMinutes: g.waitMinutes === undefined ? null : { min: g.waitMinutes, max: g.waitMinutes },
        lockedToThread: g.lockedToThread,
        frames: g.frames,
        line: g.line,
      };
      if (g.createdBy) bucket.createdBy = g.createdBy;
      d.buckets.set(key, { bucket, text: this.gText, offset: this.gOffset, endLine: this.gEnd });
    }
    this.dropGoroutine();
  }

  private closeDump(): void {
    const d = this.dump;
    if (this.g) this.finishGoroutine();
    this.st = St.IDLE;
    this.dump = undefined;
    if (!d) return;
    // A preamble alone (e.g. `runtime: ...` notes never followed by goroutines) is not a dump.
    if (d.headers === 0 && !(d.header?.panic !== undefined || d.header?.signal !== undefined)) return;
    const builders = [...d.buckets.values()].sort(
      (a, b) => b.bucket.count - a.bucket.count || a.bucket.line - b.bucket.line,
    );
    const dump: GoroutineDump = {
      goroutines: d.goroutines,
      buckets: builders.map((b) => b.bucket),
      goroutineCount: d.count,
      startLine: d.startLine,
      endLine: d.endLine,
      warnings: d.warnings,
    };
    if (d.header) dump.header = d.header;
    this.done.push({
      dump,
      startOffset: d.startOffset,
      startText: d.startText,
      bucketEvidence: builders.map((b) => ({ text: b.text, offset: b.offset, endLine: b.endLine })),
    });
  }

  private warn(line: number, message: string): void {
    this.dump?.warnings.push({ line, message });
  }

  /** Kept goroutines must not pin the read chunks their slices come from: copy or share every string. */
  private internAll(g: Goroutine): void {
    for (const f of g.frames) {
      f.func = this.intern(f.func);
      f.file = this.intern(f.file);
      f.args = ownCopy(f.args);
    }
    if (g.createdBy) {
      g.createdBy.func = this.intern(g.createdBy.func);
      if (g.createdBy.file !== undefined) g.createdBy.file = this.intern(g.createdBy.file);
    }
    if (g.ancestors) {
      for (const a of g.ancestors) {
        for (const f of a.frames) {
          f.func = this.intern(f.func);
          f.file = this.intern(f.file);
          f.args = ownCopy(f.args);
        }
      }
    }
  }

  /** Function names and files repeat across goroutines: share one copy (and free the source chunk). */
  private intern(s: string): string {
    const hit = this.strings.get(s);
    if (hit !== undefined) return hit;
    // A slice of a line keeps the whole read chunk alive; store a flat copy instead.
    const own = ownCopy(s);
    if (this.strings.size < 1_000_000) this.strings.set(own, own);
    return own;
  }
}

/** A line with no blank inside that is not a valid call: a torn or corrupted frame rather than foreign text. */
function looksLikeGarbledFrame(body: string): boolean {
  const c = body.charCodeAt(0);
  if (c === 32 || c === 9) return false;
  for (let k = 0; k < body.length; k++) {
    const x = body.charCodeAt(k);
    if (x === 32 || x === 9) return false;
  }
  return body.includes('.') || body.includes('(');
}

/** A call line with a blank-free name, or a tab + file:line line: stack text even without its header. */
function isOrphanFrame(body: string, c: number): boolean {
  if (c === 9) return parseFileLine(body.slice(1)) !== undefined;
  const call = parseCallLine(body);
  return call !== undefined && !call.func.includes(' ');
}

/**
 * A flat copy of a string. V8 makes slices of 13+ chars as views that keep their parent (a whole read
 * chunk) alive; concatenating then slicing forces a fresh backing store.
 */
function ownCopy(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
