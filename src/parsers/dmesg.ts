import type { LogEvent } from '../model/event.js';
import type { FormatParser, LineParser, ParseContext } from './types.js';

// `[ 1234.567890] msg`: seconds since boot, left-padded.
const RAW = /^\[\s*(\d+)\.(\d+)\] ?(.*)$/s;

/** Raw `dmesg` output: kernel ring buffer lines stamped with seconds since boot. */
export const dmesgFormat: FormatParser = {
  id: 'dmesg',
  description: 'raw dmesg (`[ 1234.567890] msg`): monotonic seconds since boot, anchored to wall time later',
  detect(lines) {
    if (lines.length === 0) return 0;
    let hit = 0;
    for (const l of lines) if (RAW.test(l)) hit++;
    return hit / lines.length;
  },
  create(ctx, emit) {
    return new RawDmesgParser(ctx, emit);
  },
  samples: [{ line: '[ 1704.980737] sd 6:0:0:0: [sdf] Synchronizing SCSI cache', msg: 'sd 6:0:0:0: [sdf] Synchronizing SCSI cache' }],
};

class RawDmesgParser implements LineParser {
  constructor(
    private readonly ctx: ParseContext,
    private readonly emit: (e: LogEvent) => void,
  ) {}

  line(text: string, lineNo: number, offset: number): boolean {
    const m = RAW.exec(text);
    if (!m) return false;
    const mono = Number(`${m[1]}.${m[2]}`);
    this.emit({
      // Wall time is unknown until the time-alignment stage finds this host's boot time.
      ts: NaN,
      quality: 'relative',
      precision: 10 ** Math.max(0, 6 - m[2].length),
      host: this.ctx.host ?? 'unknown',
      file: this.ctx.file,
      line: lineNo,
      lines: 1,
      offset,
      format: 'dmesg',
      text,
      msg: m[3],
      program: 'kernel',
      mono,
    });
    return true;
  }

  end(): void {}
}
