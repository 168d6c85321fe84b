import { trialParse } from './fields.js';
import { SyslogFamilyParser, syslogDetectScore } from './syslog.js';
import type { FormatParser } from './types.js';

/** /var/log/kern.log (and journalctl -k short output): syslog lines from `kernel:` with optional `[mono]` stamps. */
export const kernLogFormat: FormatParser = {
  id: 'kern.log',
  description: 'kern.log: syslog lines written by `kernel:` (`May 28 20:21:09 host kernel: [ 1234.567890] msg`), mono stamps kept for boot anchoring',
  detect(lines) {
    const r = trialParse(this, lines);
    if (r.total === 0) return 0;
    let kernel = 0;
    for (const e of r.events) if (e.program === 'kernel') kernel++;
    // Only when most lines are the kernel's; otherwise this is a general syslog.
    return kernel * 2 > r.events.length ? syslogDetectScore(r) : 0;
  },
  create(ctx, emit) {
    return new SyslogFamilyParser(ctx, emit, { format: 'kern.log' });
  },
  samples: [
    {
      line: 'May 28 20:21:09 k8s02 kernel: [ 1704.980737] sd 6:0:0:0: [sdf] Synchronizing SCSI cache',
      time: '2026-05-28T20:21:09.000Z',
      host: 'k8s02',
      program: 'kernel',
      msg: 'sd 6:0:0:0: [sdf] Synchronizing SCSI cache',
    },
    {
      line: 'May 28 20:21:10 k8s02 kernel: [ 1705.002114]  connection4:0: detected conn error (1022)',
      time: '2026-05-28T20:21:10.000Z',
      host: 'k8s02',
      program: 'kernel',
      msg: ' connection4:0: detected conn error (1022)',
    },
    {
      line: '2026-05-28T20:21:11.223344+10:00 k8s02 kernel: EXT4-fs (sdc): I/O error while writing superblock',
      time: '2026-05-28T10:21:11.223344Z',
      host: 'k8s02',
      program: 'kernel',
      msg: 'EXT4-fs (sdc): I/O error while writing superblock',
    },
  ],
};
