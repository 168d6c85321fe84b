import type { LogEvent } from '../model/event.js';
import { understoodShare } from './fields.js';
import { eventFromJournalFields } from './journal-json.js';
import type { FormatParser, LineParser, ParseContext } from './types.js';

const FIELD = /^([A-Z0-9_]{1,64})=(.*)$/s;
const BARE_KEY = /^[A-Z0-9_]{1,64}$/;
/** Records with more lines than this are cut (a missing blank separator must not grow memory). */
const MAX_RECORD_LINES = 4096;

/**
 * `journalctl -o export`: records of `KEY=value` lines separated by a blank line.
 *
 * Binary fields are `KEY\n<le64 length><bytes>\n`. Through the line interface the length cannot be
 * trusted (its NUL bytes are stripped and bytes >= 0x80 decode to U+FFFD before the parser sees them),
 * so a binary value is read as the text after the leading length residue, continued over the
 * following lines until the next `KEY=` line, bare `KEY` line or blank line. A binary value that itself
 * contains a blank line or a line shaped like `KEY=` is cut there; the lines after it are reported.
 */
class JournalExportParser implements LineParser {
  private fields: Record<string, string> = {};
  private lines: string[] = [];
  private startLine = 0;
  private startOffset = 0;
  /** Key of the binary field being read, and whether its first data line is next. */
  private binKey: string | undefined;
  private binFirst = false;

  constructor(
    private readonly ctx: ParseContext,
    private readonly emit: (e: LogEvent) => void,
  ) {}

  line(text: string, lineNo: number, offset: number): boolean {
    if (this.binKey !== undefined) {
      if (this.binFirst) {
        this.binFirst = false;
        this.add(text, lineNo, offset);
        this.fields[this.binKey] = stripLengthResidue(text);
        return true;
      }
      if (text !== '' && !FIELD.test(text) && !BARE_KEY.test(text)) {
        this.add(text, lineNo, offset);
        this.fields[this.binKey] += `\n${text}`;
        return true;
      }
      this.binKey = undefined;
    }
    if (text === '') {
      this.flush();
      return true;
    }
    const m = FIELD.exec(text);
    if (m) {
      this.add(text, lineNo, offset);
      // A repeated field keeps its first value, as journalctl -o json's first array element.
      if (!(m[1] in this.fields)) this.fields[m[1]] = m[2];
      return true;
    }
    if (BARE_KEY.test(text)) {
      this.add(text, lineNo, offset);
      this.binKey = text;
      this.binFirst = true;
      return true;
    }
    return false;
  }

  end(): void {
    if (this.binKey !== undefined && this.binFirst) this.ctx.warn(this.startLine, `binary field ${this.binKey} has no data (truncated export)`);
    this.binKey = undefined;
    this.flush();
  }

  private add(text: string, lineNo: number, offset: number): void {
    if (this.lines.length === 0) {
      this.startLine = lineNo;
      this.startOffset = offset;
    } else if (this.lines.length >= MAX_RECORD_LINES) {
      this.ctx.warn(lineNo, `journal export record longer than ${MAX_RECORD_LINES} lines (missing blank separator?): cut`);
      this.flush();
      this.startLine = lineNo;
      this.startOffset = offset;
    }
    this.lines.push(text);
  }

  private flush(): void {
    if (this.lines.length === 0) return;
    const e = eventFromJournalFields(this.fields, this.ctx, 'journal-export', this.lines.join('\n'), this.startLine, this.lines.length, this.startOffset);
    this.fields = {};
    this.lines = [];
    this.emit(e);
  }
}

/** Drops the le64 length bytes that survived line decoding (control characters and U+FFFD), at most 8. */
function stripLengthResidue(s: string): string {
  let i = 0;
  while (i < 8 && i < s.length) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 9) || c === 0xfffd || c === 0x7f) i++;
    else break;
  }
  return s.slice(i);
}

/** `journalctl -o export`: the journal's own serialization, every field of every record. */
export const journalExportFormat: FormatParser = {
  id: 'journal-export',
  description: 'journalctl -o export: KEY=value records separated by blank lines (binary fields best effort)',
  detect(lines) {
    if (!lines.some((l) => l.startsWith('__CURSOR=') || l.startsWith('__REALTIME_TIMESTAMP='))) return 0;
    return understoodShare(this, lines);
  },
  create(ctx, emit) {
    return new JournalExportParser(ctx, emit);
  },
  samples: [
    { line: '__REALTIME_TIMESTAMP=1779963664123456', time: '2026-05-28T10:21:04.123456Z', host: 'unknown', msg: '' },
  ],
};
