import type { LogEvent } from '../model/event.js';
import type { FormatParser, LineParser, ParseContext } from './types.js';

// Words that start kernel messages (subsystem prefixes, drivers, well-known reports). Tested on the
// line after leading blanks; one anchored alternation, no nested quantifiers.
const KERNEL_VOCAB =
  /^(?:ata\d+(?:\.\d+)?:|sd \d+:\d+:\d+:\d+:|scsi(?: host)?\d*[: ]|blk_update_request:|I\/O error|Buffer I\/O error|buffer_io_error:|JBD2:|EXT[234]-fs|XFS|BTRFS|nvme\d*|md\/|md\d+:|device-mapper:|dm-\d+|Aborting journal|session\d+:|connection\d+:\d+:|iSCSI|Read-error|Write-error|Out of memory|oom|Call Trace:|RIP:|BUG:|WARNING:|INFO: task|Kernel|kernel:|Linux version|audit:|IPv6:|NET:|TCP:|e1000|eth\d|ens\d|enp\d|bond\d|veth|cgroup|EDAC|mce:|ACPI|PCI|pci \d|x86|CPU\d*:|Memory:|Freeing|random:|rcu|watchdog|NMI|usb \d|hub \d|EXT4|tag#\d|print_req_error|end_request|Buffer|systemd\[1\]:|loop\d+:|sr \d|nf_conntrack|br-|cni0|flannel|vxlan|calico|overlay|squashfs)/;

/**
 * Kernel messages with no time at all (`dmesg -t`, `journalctl -k -o cat`, text pasted from a report):
 * every non-blank line is a kernel message with `ts` NaN and quality `none`; lines indented by two or
 * more blanks continue the previous message. Detected by kernel vocabulary, scored below timestamped
 * formats so those win ties.
 */
class KernelTextParser implements LineParser {
  private pending: LogEvent | undefined;

  constructor(
    private readonly ctx: ParseContext,
    private readonly emit: (e: LogEvent) => void,
  ) {}

  line(text: string, lineNo: number, offset: number): boolean {
    const c0 = text.charCodeAt(0);
    const indented = c0 === 9 || (c0 === 32 && text.charCodeAt(1) === 32);
    if (text.trim() === '') return false;
    if (indented && this.pending) {
      const p = this.pending;
      p.lines = lineNo - p.line + 1;
      p.text += `\n${text}`;
      p.msg += `\n${text.trim()}`;
      return true;
    }
    if (this.pending) this.emit(this.pending);
    this.pending = {
      ts: NaN,
      quality: 'none',
      precision: 0,
      host: this.ctx.host ?? 'unknown',
      file: this.ctx.file,
      line: lineNo,
      lines: 1,
      offset,
      format: 'kernel-text',
      text,
      msg: text,
      program: 'kernel',
    };
    return true;
  }

  end(): void {
    if (this.pending) this.emit(this.pending);
    this.pending = undefined;
  }
}

/** Share of lines that read as kernel messages (indented continuations count when they follow one). */
export function kernelVocabularyShare(lines: readonly string[]): number {
  let total = 0;
  let hit = 0;
  let prevHit = false;
  for (const l of lines) {
    const t = l.trimStart();
    if (t === '') continue;
    total++;
    const indented = l.length - t.length >= 2 || l.charCodeAt(0) === 9;
    if (KERNEL_VOCAB.test(t) || (indented && prevHit)) {
      hit++;
      prevHit = true;
    } else prevHit = false;
  }
  return total === 0 ? 0 : hit / total;
}

/** Untimestamped kernel text; the fallback for kernel output that lost its stamps. */
export const kernelTextFormat: FormatParser = {
  id: 'kernel-text',
  description: 'kernel messages without timestamps (`dmesg -t`, `journalctl -k -o cat`): no time, ordered by position',
  detect(lines) {
    // Below 1 so a timestamped format that understands as many lines wins.
    return 0.9 * kernelVocabularyShare(lines);
  },
  create(ctx, emit) {
    return new KernelTextParser(ctx, emit);
  },
  samples: [
    { line: 'sd 5:0:0:1: rejecting I/O to offline device', program: 'kernel', msg: 'sd 5:0:0:1: rejecting I/O to offline device' },
    { line: 'JBD2: Error -5 detected when updating journal superblock for sdc-8.', program: 'kernel', msg: 'JBD2: Error -5 detected when updating journal superblock for sdc-8.' },
  ],
};
