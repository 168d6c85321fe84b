import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const realdata = resolve(repoRoot, '../shared/realdata');
export const hasRealdata = existsSync(realdata);
if (!hasRealdata) console.warn(`NOTE: ${realdata} is missing: tests on real sample logs are skipped`);

/** Makes a temp folder with the given files (a `.gz` name is gzipped) and returns its path. */
export function makeTree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'forensics-test-'));
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(root, rel);
    mkdirSync(dirname(abs), { recursive: true });
    const buf = typeof content === 'string' ? Buffer.from(content) : content;
    writeFileSync(abs, rel.endsWith('.gz') && !(buf[0] === 0x1f && buf[1] === 0x8b) ? gzipSync(buf) : buf);
  }
  return root;
}

/** Runs the built CLI (npm test builds first). */
export function cli(args: string[], env: Record<string, string> = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(repoRoot, 'dist/cli/main.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The iSCSI -> EXT4 read-only cascade of the 2026-05-28 incident as kern.log lines of k8s02 (AEST). */
export const CASCADE_KERN_LOG = [
  'May 28 18:55:01 k8s02 kernel: [    2.112233] scsi host2: iSCSI Initiator over TCP/IP',
  'May 28 18:55:01 k8s02 kernel: [    2.212233] sd 2:0:0:0: [sdb] Attached SCSI disk',
  'May 28 18:55:02 k8s02 kernel: [    3.000100] sd 3:0:0:0: [sdc] Attached SCSI disk',
  'May 28 19:16:07 k8s02 kernel: [ 1266.000001] connection1:0: detected conn error (1020)',
  'May 28 19:16:14 k8s02 kernel: [ 1273.000001] IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready',
  'May 28 19:40:00 k8s02 kernel: [ 2699.000001] cni0: port 3(veth1234) entered forwarding state',
  'May 28 20:21:09 k8s02 kernel: [ 5168.112233] connection1:0: detected conn error (1020)',
  'May 28 20:21:09 k8s02 kernel: [ 5168.112301] connection2:0: detected conn error (1020)',
  'May 28 20:23:09 k8s02 kernel: [ 5288.120001] session1: session recovery timed out after 120 secs',
  'May 28 20:23:09 k8s02 kernel: [ 5288.120101] session2: session recovery timed out after 120 secs',
  'May 28 20:23:09 k8s02 kernel: [ 5288.121000] sd 2:0:0:0: rejecting I/O to offline device',
  'May 28 20:23:09 k8s02 kernel: [ 5288.121100] blk_update_request: I/O error, dev sdb, sector 2048 op 0x1:(WRITE) flags 0x800 phys_seg 1 prio class 0',
  'May 28 20:23:40 k8s02 kernel: [ 5319.000100] JBD2: Detected IO errors while flushing file data on sdb-8',
  'May 28 20:23:40 k8s02 kernel: [ 5319.000150] Aborting journal on device sdb-8.',
  'May 28 20:23:40 k8s02 kernel: [ 5319.000200] EXT4-fs (sdb): Remounting filesystem read-only',
  'May 28 20:27:12 k8s02 kernel: [ 5531.000100] sd 3:0:0:0: rejecting I/O to offline device',
  'May 28 20:27:13 k8s02 kernel: [ 5532.000150] Aborting journal on device sdc-8.',
  'May 28 20:27:13 k8s02 kernel: [ 5532.000200] EXT4-fs (sdc): Remounting filesystem read-only',
  'May 28 20:40:00 k8s02 kernel: [ 6299.000200] cni0: port 4(veth5678) entered disabled state',
].join('\n');
