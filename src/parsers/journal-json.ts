import type { LogEvent } from '../model/event.js';
import { understoodShare } from './fields.js';
import { attachKlog } from './klog.js';
import type { FormatParser, LineParser, ParseContext } from './types.js';

type JsonValue = string | number | null | JsonValue[] | { [k: string]: JsonValue };

const utf8 = new TextDecoder('utf-8');

/**
 * A journal field as journalctl prints it: a string, null (too large / not printable), an array of
 * byte values (binary data), or an array of those when the field occurs more than once (first kept).
 */
export function journalFieldText(v: JsonValue | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return '';
    if (typeof v[0] === 'number') {
      const bytes = Uint8Array.from(v as number[], (b) => (typeof b === 'number' ? b & 0xff : 0x3f));
      return utf8.decode(bytes);
    }
    return journalFieldText(v[0]);
  }
  return undefined;
}

/** Builds an event from a journal record's fields (shared by `-o json` and `-o export`). */
export function eventFromJournalFields(
  f: Record<string, JsonValue | undefined>,
  ctx: ParseContext,
  format: string,
  text: string,
  line: number,
  lines: number,
  offset: number,
): LogEvent {
  const rt = journalFieldText(f.__REALTIME_TIMESTAMP);
  const mt = journalFieldText(f.__MONOTONIC_TIMESTAMP);
  const ts = rt !== undefined && /^\d{1,17}$/.test(rt) ? Number(rt) : NaN;
  const mono = mt !== undefined && /^\d{1,17}$/.test(mt) ? Number(mt) / 1e6 : undefined;
  const transport = journalFieldText(f._TRANSPORT);
  const program = journalFieldText(f.SYSLOG_IDENTIFIER) ?? journalFieldText(f._COMM) ?? (transport === 'kernel' ? 'kernel' : undefined);
  const pidText = journalFieldText(f._PID) ?? journalFieldText(f.SYSLOG_PID);
  const priText = journalFieldText(f.PRIORITY);
  const boot = journalFieldText(f._BOOT_ID);
  const e: LogEvent = {
    ts,
    quality: Number.isFinite(ts) ? 'exact' : mono !== undefined ? 'relative' : 'none',
    precision: Number.isFinite(ts) || mono !== undefined ? 1 : 0,
    host: journalFieldText(f._HOSTNAME) ?? ctx.host ?? 'unknown',
    file: ctx.file,
    line,
    lines,
    offset,
    format,
    text,
    msg: journalFieldText(f.MESSAGE) ?? '',
    program,
    pid: pidText !== undefined && /^\d{1,10}$/.test(pidText) ? Number(pidText) : undefined,
    mono,
    priority: priText !== undefined && /^[0-7]$/.test(priText) ? Number(priText) : undefined,
  };
  if (boot !== undefined) e.data = { bootId: boot };
  attachKlog(e, ctx.tz);
  return e;
}

class JournalJsonParser implements LineParser {
  constructor(
    private readonly ctx: ParseContext,
    private readonly emit: (e: LogEvent) => void,
  ) {}

  line(text: string, lineNo: number, offset: number): boolean {
    let s = text;
    // `-o json-seq` prefixes each record with an ASCII RS.
    if (s.charCodeAt(0) === 0x1e) s = s.slice(1);
    if (s.charCodeAt(0) !== 123 /* { */) return false;
    let obj: unknown;
    try {
      obj = JSON.parse(s);
    } catch {
      this.ctx.warn(lineNo, 'journal JSON record is not valid JSON (truncated?)');
      return false;
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return false;
    const f = obj as Record<string, JsonValue>;
    if (f.__REALTIME_TIMESTAMP === undefined && f.MESSAGE === undefined && f.__CURSOR === undefined) return false;
    this.emit(eventFromJournalFields(f, this.ctx, 'journal-json', text, lineNo, 1, offset));
    return true;
  }

  end(): void {}
}

/** `journalctl -o json` / `json-seq`: one JSON object per line with µs realtime and monotonic stamps. */
export const journalJsonFormat: FormatParser = {
  id: 'journal-json',
  description: 'journalctl -o json / json-seq: one record per line, exact µs time, boot id, priority',
  detect(lines) {
    // Cheap pre-check: a JSON line that names journal fields.
    if (!lines.some((l) => l.includes('"__REALTIME_TIMESTAMP"') || l.includes('"_BOOT_ID"'))) return 0;
    return understoodShare(this, lines);
  },
  create(ctx, emit) {
    return new JournalJsonParser(ctx, emit);
  },
  samples: [
    {
      line: '{"__CURSOR":"s=0b3f;i=1a2","__REALTIME_TIMESTAMP":"1779963664123456","__MONOTONIC_TIMESTAMP":"1704980737","_BOOT_ID":"1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6","PRIORITY":"3","_TRANSPORT":"kernel","SYSLOG_IDENTIFIER":"kernel","_HOSTNAME":"k8s02","MESSAGE":"sd 6:0:0:0: [sdf] Synchronizing SCSI cache"}',
      time: '2026-05-28T10:21:04.123456Z',
      host: 'k8s02',
      program: 'kernel',
      msg: 'sd 6:0:0:0: [sdf] Synchronizing SCSI cache',
    },
    {
      line: '{"__REALTIME_TIMESTAMP":"1779963665000001","_HOSTNAME":"k8s03","_COMM":"iscsid","_PID":"1021","PRIORITY":"4","MESSAGE":[99,111,110,110,32,101,114,114,111,114,10,100,101,116,97,105,108]}',
      time: '2026-05-28T10:21:05.000001Z',
      host: 'k8s03',
      program: 'iscsid',
      msg: 'conn error\ndetail',
    },
  ],
};
