import type { LogEvent } from '../model/event.js';

// Java/JVM stack trace continuation lines: `\tat x.Y.z(Y.java:12)`, `Caused by: ...`, `... 12 more`,
// `Suppressed: ...`, `... 5 common frames omitted`; first alternatives are literal-led, no nesting.
const TRACE_LINE = /^(?:\s+at |\s*\.\.\. \d+ (?:more|common frames omitted)|\s*Caused by: |\s*Suppressed: )/;
// The exception line itself after a logged error: `java.lang.IllegalStateException: boom`.
const EXCEPTION_HEAD = /^(?:[A-Za-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error|Throwable|Failure)(?::|$)/;

/**
 * True for a line that continues the previous record: stack frames, `Caused by:`, `... N more`,
 * `Suppressed:`, an exception class line, `Exception in thread ...`, or any tab-indented line.
 */
export function isContinuation(line: string): boolean {
  const c = line.charCodeAt(0);
  if (c === 9) return true;
  if (c === 32) return TRACE_LINE.test(line);
  if (c === 67 /* C */ || c === 83 /* S */) return TRACE_LINE.test(line);
  if (c === 46 /* . */) return TRACE_LINE.test(line);
  if (c === 69 /* E */ && line.startsWith('Exception in thread ')) return true;
  return EXCEPTION_HEAD.test(line);
}

/** Most physical lines kept in one record; a runaway trace is emitted in pieces. */
export const MAX_RECORD_LINES = 10_000;

/** Holds the record being assembled and emits it when the next one starts or input ends. */
export class RecordAssembler {
  private pending: LogEvent | undefined;

  constructor(private readonly emit: (e: LogEvent) => void) {}

  /** True when a record is open for continuation lines. */
  get open(): boolean {
    return this.pending !== undefined;
  }

  /** Starts a new record, emitting the previous one. */
  start(e: LogEvent): void {
    if (this.pending) this.emit(this.pending);
    this.pending = e;
  }

  /** Adds a physical line (`text`, up to line `lastLine`) and its message part to the open record. */
  append(text: string, msgPart: string, lastLine: number): boolean {
    const p = this.pending;
    if (!p) return false;
    if (p.lines >= MAX_RECORD_LINES) return false;
    p.text += `\n${text}`;
    p.msg += `\n${msgPart}`;
    p.lines = lastLine - p.line + 1;
    return true;
  }

  /** Emits the open record. */
  flush(): void {
    if (this.pending) this.emit(this.pending);
    this.pending = undefined;
  }
}
