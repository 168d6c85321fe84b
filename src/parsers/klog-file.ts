import type { LogEvent } from '../model/event.js';
import { understoodShare } from './fields.js';
import { klogTime, looksLikeKlog, parseKlog } from './klog.js';
import { isContinuation, RecordAssembler } from './multiline.js';
import type { FormatParser, LineParser, ParseContext } from './types.js';

const SEVERITY_PRIORITY = { I: 6, W: 4, E: 3, F: 2 } as const;

/**
 * Files of bare klog lines (`kubectl logs` of a control-plane component, `/var/log/kube-*.log`):
 * time from the header in the configured year and zone; indented lines (multi-line values, traces)
 * join the previous line.
 */
class KlogFileParser implements LineParser {
  private readonly asm: RecordAssembler;
  private year: number;
  private lastMonth = 0;

  constructor(
    private readonly ctx: ParseContext,
    emit: (e: LogEvent) => void,
  ) {
    this.asm = new RecordAssembler(emit);
    this.year = ctx.year;
  }

  line(text: string, lineNo: number, offset: number): boolean {
    if (looksLikeKlog(text)) {
      const h = parseKlog(text);
      if (h) {
        const month = Number(h.stamp.slice(0, 2));
        if (this.lastMonth === 12 && month === 1) this.year++;
        this.lastMonth = month;
        const ts = klogTime(h, this.year, this.ctx.tz);
        this.asm.start({
          ts,
          quality: Number.isFinite(ts) ? 'year-inferred' : 'none',
          precision: Number.isFinite(ts) ? 1 : 0,
          host: this.ctx.host ?? 'unknown',
          file: this.ctx.file,
          line: lineNo,
          lines: 1,
          offset,
          format: 'klog',
          text,
          msg: text,
          priority: SEVERITY_PRIORITY[h.severity],
          klog: h,
        });
        return true;
      }
    }
    const c = text.charCodeAt(0);
    // ` >` closes a klog multi-line value (`key=<` ... ` >`).
    if ((c === 32 || isContinuation(text)) && this.asm.append(text, text, lineNo)) return true;
    return false;
  }

  end(): void {
    this.asm.flush();
  }
}

/** Plain klog output of Kubernetes components. */
export const klogFormat: FormatParser = {
  id: 'klog',
  description: 'klog lines of Kubernetes components (`I0528 20:21:04.123456    1234 file.go:111] msg k="v"`), no year',
  detect(lines) {
    return understoodShare(this, lines);
  },
  create(ctx, emit) {
    return new KlogFileParser(ctx, emit);
  },
  samples: [
    {
      line: 'I0528 20:21:04.123456       1 taint_eviction.go:111] "Deleting pod" controller="taint-eviction-controller" pod="openebs/pvc-1"',
      time: '2026-05-28T20:21:04.123456Z',
      msg: 'I0528 20:21:04.123456       1 taint_eviction.go:111] "Deleting pod" controller="taint-eviction-controller" pod="openebs/pvc-1"',
    },
    { line: 'E0528 20:21:05.000001    2345 reconciler.go:42] operationExecutor.UnmountDevice failed', time: '2026-05-28T20:21:05.000001Z' },
  ],
};
