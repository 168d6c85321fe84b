import { trialParse } from './fields.js';
import { SyslogFamilyParser, syslogDetectScore } from './syslog.js';
import type { FormatParser } from './types.js';

/**
 * `journalctl` text output (`-o short`, `short-precise`, `short-iso`, `short-iso-precise`, `short-full`,
 * `short-unix`, `short-monotonic`), recognised by its marker lines (`-- Boot id --`, `-- Logs begin at`)
 * or by monotonic stamps followed by one host. Without either it reads as syslog, which parses the same.
 */
export const journalFormat: FormatParser = {
  id: 'journal',
  description: 'journalctl text output (short, short-precise, short-iso, short-full, short-unix, short-monotonic) with `-- Boot --` markers',
  detect(lines) {
    const r = trialParse(this, lines);
    if (r.total === 0) return 0;
    let markers = 0;
    let mono = 0;
    const hosts = new Map<string, number>();
    for (const e of r.events) {
      if (e.quality === 'none' && e.text.startsWith('-- ')) markers++;
      else if (e.quality === 'relative' && e.program !== undefined && /^[A-Za-z_]/.test(e.program)) {
        mono++;
        hosts.set(e.host, (hosts.get(e.host) ?? 0) + 1);
      }
    }
    const topHost = Math.max(0, ...hosts.values());
    // Raw dmesg lines also start with `[mono]`; journal ones name one host and a tag on nearly every line.
    const monoJournal = mono > 0 && topHost >= 0.8 * r.total;
    return markers > 0 || monoJournal ? syslogDetectScore(r) : 0;
  },
  create(ctx, emit) {
    return new SyslogFamilyParser(ctx, emit, { format: 'journal', monotonic: true });
  },
  samples: [
    { line: '-- Boot 1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6 --', msg: '-- Boot 1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6 --' },
    { line: '-- Logs begin at Thu 2026-05-28 09:00:01 AEST, end at Thu 2026-05-28 20:30:00 AEST. --' },
    { line: '[ 1704.980737] k8s02 kernel: sd 6:0:0:0: [sdf] Synchronizing SCSI cache', host: 'k8s02', program: 'kernel', msg: 'sd 6:0:0:0: [sdf] Synchronizing SCSI cache' },
    { line: 'May 28 20:21:04.123456 k8s02 iscsid[1021]: Kernel reported iSCSI connection 1:0 error (1022)', time: '2026-05-28T20:21:04.123456Z', host: 'k8s02', program: 'iscsid', msg: 'Kernel reported iSCSI connection 1:0 error (1022)' },
    { line: '2026-05-28T20:21:04.123456+1000 k8s02 kubelite[2345]: E0528 20:21:04.120001    2345 csi_attacher.go:400] "Failed"', time: '2026-05-28T10:21:04.123456Z', host: 'k8s02', program: 'kubelite', msg: 'E0528 20:21:04.120001    2345 csi_attacher.go:400] "Failed"' },
    { line: '1779963664.500000 k8s02 systemd[1]: Stopping Kubernetes Kubelet...', time: '2026-05-28T10:21:04.500Z', host: 'k8s02', program: 'systemd', msg: 'Stopping Kubernetes Kubelet...' },
  ],
};
