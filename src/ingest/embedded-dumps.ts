import type { LogEvent } from '../model/event.js';
import { GoroutineDumpAssembler, emitDump } from '../parsers/goroutine/index.js';

const DUMP_START = /^goroutine \d+ (?:gp=\S+ m=\S+ (?:mp=\S+ )?)?\[/;

/**
 * Reassembles goroutine dumps written into a journal or syslog, one line per log record (kubelite's
 * SIGUSR1 dump): the log prefix is already stripped (the parser's `msg`), lines are grouped per
 * process (host, program, pid) and fed to a goroutine assembler until the dump ends.
 *
 * Dump events take the time of the line that carries the dump's first goroutine; each bucket that
 * has waited N minutes also yields a "blocked since" event at dump time minus N minutes, so a stall's
 * start shows on the timeline beside the events that caused it.
 */
export class EmbeddedDumps {
  private readonly active = new Map<string, { asm: GoroutineDumpAssembler; at: LogEvent }>();

  constructor(
    private readonly file: string,
    private readonly warn: (line: number, message: string) => void,
    private readonly emit: (e: LogEvent) => void,
  ) {}

  /** True while a dump is open for some process: every following line of the input is needed. */
  get busy(): boolean {
    return this.active.size > 0;
  }

  /** Looks at one parsed event of a text log. Cheap unless a dump is in progress for its process. */
  see(e: LogEvent): void {
    if (e.format === 'goroutine') return;
    // rsyslog escapes a leading tab as `#011` (EscapeControlCharactersOnReceive).
    if (e.msg.startsWith('#011')) e = { ...e, msg: `\t${e.msg.slice(4)}` };
    // No dump open (the common case): no key to build.
    const cur = this.active.size > 0 ? this.active.get(dumpKey(e)) : undefined;
    if (cur) {
      const consumed = cur.asm.line(e.msg, e.line, e.offset);
      this.flush(cur.asm.takeDetailed(), cur.at);
      if (!consumed) {
        this.flush(cur.asm.endDetailed(), cur.at);
        this.active.delete(dumpKey(e));
      }
      return;
    }
    if (e.msg.charCodeAt(0) !== 103 /* g */ || !DUMP_START.test(e.msg)) return;
    const asm = new GoroutineDumpAssembler({ keepGoroutines: false });
    const at = e;
    this.active.set(dumpKey(e), { asm, at });
    asm.line(e.msg, e.line, e.offset);
  }

  /** End of input: dumps still open are complete. */
  end(): void {
    for (const { asm, at } of this.active.values()) this.flush(asm.endDetailed(), at);
    this.active.clear();
  }

  private flush(dumps: ReturnType<GoroutineDumpAssembler['takeDetailed']>, at: LogEvent): void {
    for (const d of dumps) {
      emitDump(d, { host: at.host, file: this.file, warn: this.warn }, (ev) => {
        const placed: LogEvent = { ...ev, ts: at.ts, quality: at.quality, precision: at.precision, program: at.program, pid: at.pid };
        this.emit(placed);
        const g = ev.data?.goroutine as { waitMinutes: number | null } | undefined;
        if (g?.waitMinutes && Number.isFinite(at.ts)) {
          this.emit({
            ...placed,
            ts: at.ts - g.waitMinutes * 60_000_000,
            // Go prints whole minutes: the stall began somewhere in that minute.
            precision: 60_000_000,
            msg: `blocked since: ${ev.msg}`,
            data: { ...ev.data, blockedSince: true },
          });
        }
      });
    }
  }
}

/** One process's lines: a dump is assembled per host, program and pid. */
const dumpKey = (e: LogEvent): string => `${e.host}\0${e.program ?? ''}\0${e.pid ?? ''}`;
