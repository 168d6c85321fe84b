/**
 * Incident signature lines (from the pvek8s PIR's "Key Error Signatures"), as planted by the bench
 * generator. Each kind has a `literal` that occurs in its lines and in no noise line, so a plain
 * substring count over the output equals the number planted.
 */
import { klogLine } from './noise.js';
import type { ZoneClock } from './formats.js';
import type { Rng } from './rng.js';

/** What a planted signature line needs. */
export interface SigContext {
  rng: Rng;
  clock: ZoneClock;
  ts: number;
  kubelitePid: number;
}

/** One signature kind. */
export interface SignatureKind {
  /** Event kind name (matches the analyzer's signature naming where one exists). */
  kind: string;
  /** True for kernel lines (kern.log / dmesg), false for kubelite klog lines (syslog / journal). */
  kernel: boolean;
  /** Substring present in every line of this kind and in no noise line. */
  literal: string;
  /** Message text (for kernel lines: without the monotonic stamp). */
  build(ctx: SigContext): string;
}

const DEVS = [
  ['sdb', '2:0:0:0', 1],
  ['sdc', '3:0:0:0', 2],
  ['sdd', '4:0:0:0', 3],
] as const;

/** Signature kinds, in planting order (round robin). */
export const SIGNATURE_KINDS: readonly SignatureKind[] = [
  {
    kind: 'iscsi.conn_error',
    kernel: true,
    literal: 'detected conn error (1020)',
    build: ({ rng }) => ` connection${rng.pick(DEVS)[2]}:0: detected conn error (1020)`,
  },
  {
    kind: 'iscsi.session_timeout',
    kernel: true,
    literal: 'session recovery timed out after',
    build: ({ rng }) => ` session${rng.pick(DEVS)[2]}: session recovery timed out after 120 secs`,
  },
  {
    kind: 'scsi.offline',
    kernel: true,
    literal: 'rejecting I/O to offline device',
    build: ({ rng }) => `sd ${rng.pick(DEVS)[1]}: rejecting I/O to offline device`,
  },
  {
    kind: 'block.io_error',
    kernel: true,
    literal: 'blk_update_request: I/O error',
    build: ({ rng }) => `blk_update_request: I/O error, dev ${rng.pick(DEVS)[0]}, sector ${rng.int(0, 41943040)} op 0x1:(WRITE) flags 0x800 phys_seg 1 prio class 0`,
  },
  {
    kind: 'jbd2.abort',
    kernel: true,
    literal: 'Aborting journal on device',
    build: ({ rng }) => `Aborting journal on device ${rng.pick(DEVS)[0]}-8.`,
  },
  {
    kind: 'ext4.remount_ro',
    kernel: true,
    literal: 'Remounting filesystem read-only',
    build: ({ rng }) => `EXT4-fs (${rng.pick(DEVS)[0]}): Remounting filesystem read-only`,
  },
  {
    kind: 'k8s.taint_eviction',
    kernel: false,
    literal: 'controller="taint-eviction-controller"',
    build: ({ rng, clock, ts, kubelitePid }) =>
      klogLine(clock, 'I', ts, kubelitePid, 'taint_eviction.go:111', `"Deleting pod" controller="taint-eviction-controller" pod="openebs/pvc-${rng.uuid()}-jiva-ctrl-${rng.hex(9)}-${rng.alnum(5)}"`),
  },
  {
    kind: 'k8s.kcm_reconnect',
    kernel: false,
    literal: 'quota admission added evaluator for: daemonsets.apps',
    build: ({ clock, ts, kubelitePid }) => klogLine(clock, 'I', ts, kubelitePid, 'controller.go:667', 'quota admission added evaluator for: daemonsets.apps'),
  },
  {
    kind: 'kine.closed_conn',
    kernel: false,
    literal: 'kine.sock',
    build: ({ clock, ts, kubelitePid }) =>
      klogLine(clock, 'E', ts, kubelitePid, 'watcher.go:342', 'watch chan error: rpc error: code = Unavailable desc = error reading from server: read unix @->/var/snap/microk8s/current/var/kubernetes/backend/kine.sock:12379: use of closed network connection'),
  },
];
