/**
 * Regenerates every recorded incident of the corpus, deterministically (fixed seeds).
 *
 *   npx tsx corpus/make.ts [outDir]      (default: the corpus/ folder itself)
 *
 * Each incident is a folder `<name>/` with per-host subfolders of logs, `expected.json` and
 * `README.md` (the READMEs are hand-written and not generated).
 */
import { mkdirSync, writeFileSync, rmSync, existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ZoneClock } from '../tools/loggen/formats.js';
import { makeHostProfile, DEFAULT_WEIGHTS, PROG, UNIT } from '../tools/loggen/noise.js';
import { Rng } from '../tools/loggen/rng.js';
import {
  HostLog, lt, render, bootLines, bootServices, iscsiAttach, iscsidConnError, cascade, jivaCtrlPods, evictionBurst,
  jivaExit, kineDisruption, goroutineDump, dtrackCrash, expectedJson,
} from './lib.js';

/** Files of the corpus: path relative to the corpus folder -> content (gzip already applied). */
export type CorpusFiles = Map<string, Buffer>;

const KERNEL = '6.8.0-60-generic';

function gz(s: string): Buffer {
  return gzipSync(Buffer.from(s, 'utf8'), { level: 9 });
}
function buf(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}

function host(seed: Rng, name: string, tz: string, nodes: string[], bootTs: number): HostLog {
  return new HostLog(makeHostProfile(seed.fork(`${name}/p`), name, tz, nodes, bootTs), seed.fork(name));
}

const PVCS = [
  '746b2837-ca3c-4b95-9168-7b767573f799',
  'a3a7e012-5d1f-4c2b-8e7a-0f3b9c6d2e41',
  '1c9e5f7a-3b2d-4e8f-9a6c-7d5e4f3a2b10',
  '5e8d2c1b-7a6f-4e3d-b2c1-9f8e7d6c5b4a',
  '9b7a6c5d-4e3f-4a2b-8c1d-0e9f8a7b6c5d',
  'd4c3b2a1-0f9e-4d8c-a7b6-5c4d3e2f1a09',
];

/** 1. The pvek8s 2026-05-28 power outage, as in the PIR. */
function pvek8s(files: CorpusFiles): void {
  const dir = 'pvek8s-2026-05-28-power-outage';
  const tz = 'Australia/Brisbane';
  const T = (s: string): number => lt(tz, s);
  const seed = new Rng(20260528);
  const nodes = ['k8s01', 'k8s02', 'k8s03'];
  const oldBoot = [T('2026-05-14 06:12:40.118204'), T('2026-05-14 06:14:02.550913'), T('2026-05-14 06:15:37.004512')];
  const newBoot = [T('2026-05-28 18:58:30.402117'), T('2026-05-28 18:58:41.203117'), T('2026-05-28 18:59:02.881640')];
  const outage = [T('2026-05-28 18:41:37.2'), T('2026-05-28 18:41:37.3'), T('2026-05-28 18:41:38.1')];
  const [h1, h2, h3] = nodes.map((n, i) => host(seed, n, tz, nodes, newBoot[i] as number)) as [HostLog, HostLog, HostLog];
  const from = [T('2026-05-28 12:00:00'), T('2026-05-28 00:00:00'), T('2026-05-28 12:00:00')];
  const to = [T('2026-05-29 02:30:00'), T('2026-05-30 10:41:00'), T('2026-05-29 02:30:00')];
  [h1, h2, h3].forEach((h, i) => {
    const gap = i === 1 ? 3.2 : 7;
    h.noise(from[i] as number, outage[i] as number, gap, oldBoot[i] as number);
    bootLines(h, newBoot[i] as number, { kernel: KERNEL, rootUuid: h.rng.uuid(), memMb: 16384 });
    bootServices(h, newBoot[i] as number, true);
    const up = (newBoot[i] as number) + 25e6;
    if (i === 1) {
      h.noise(up, T('2026-05-29 00:00:00'), gap, newBoot[1] as number);
      h.noise(T('2026-05-29 00:00:00'), to[1] as number, 20, newBoot[1] as number);
    } else {
      h.noise(up, to[i] as number, gap, newBoot[i] as number);
    }
  });

  // k8s02: iSCSI volumes of seerr (sdb) and survive (sdc) attach after boot.
  const b2 = newBoot[1] as number;
  const seerr = { session: 1, host: 2, dev: 'sdb', pvc: `pvc-${PVCS[0]}`, ip: '10.152.183.57', blocks: 20971520 };
  const survive = { session: 2, host: 3, dev: 'sdc', pvc: `pvc-${PVCS[1]}`, ip: '10.152.183.22', blocks: 41943040 };
  iscsiAttach(h2, b2, T('2026-05-28 19:02:11.284410'), seerr);
  iscsiAttach(h2, b2, T('2026-05-28 19:02:13.906127'), survive);
  h2.klog(T('2026-05-28 19:02:12.401003'), 'I', 'operation_generator.go:580', `"MountVolume.MountDevice succeeded for volume \\"${seerr.pvc}\\" (UniqueName: \\"kubernetes.io/csi/jiva.csi.openebs.io^${seerr.pvc}\\") pod \\"seerr-seerr-chart-0\\" (UID: \\"${h2.rng.uuid()}\\") device mount path \\"/var/snap/microk8s/common/var/lib/kubelet/plugins/kubernetes.io/csi/jiva.csi.openebs.io/${h2.rng.hex(64)}/globalmount\\"" pod="media/seerr-seerr-chart-0"`);

  // k8s02 19:16: a 7-second link flap; both sessions recover.
  h2.kernelAt(b2, T('2026-05-28 19:16:06.611873'), 'e1000e 0000:00:12.0 eth0: NIC Link is Down');
  h2.prog(T('2026-05-28 19:16:06.7'), 'systemd-networkd', h2.profile.pids.networkd, 'eth0: Lost carrier');
  h2.kernelAt(b2, T('2026-05-28 19:16:07.020455'), ' connection1:0: detected conn error (1020)', 3);
  h2.kernelAt(b2, T('2026-05-28 19:16:07.021377'), ' connection2:0: detected conn error (1020)', 3);
  iscsidConnError(h2, T('2026-05-28 19:16:07.4'), 1);
  iscsidConnError(h2, T('2026-05-28 19:16:07.5'), 2);
  h2.kernelAt(b2, T('2026-05-28 19:16:13.802210'), 'e1000e 0000:00:12.0 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx');
  h2.kernelAt(b2, T('2026-05-28 19:16:14.100912'), 'IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready');
  h2.prog(T('2026-05-28 19:16:14.2'), 'systemd-networkd', h2.profile.pids.networkd, 'eth0: Gained carrier');
  h2.prog(T('2026-05-28 19:16:16.3'), 'iscsid', h2.profile.pids.iscsid, 'connection1:0 is operational after recovery (1 attempts)');
  h2.prog(T('2026-05-28 19:16:16.4'), 'iscsid', h2.profile.pids.iscsid, 'connection2:0 is operational after recovery (1 attempts)');

  // k8s01 rolling recovery: kubelite restarted, node NotReady for > 300 s.
  h1.prog(T('2026-05-28 20:14:52.1'), 'systemd', 1, `Stopping ${UNIT.kubelite} - Service for snap application microk8s.daemon-kubelite...`);
  h1.prog(T('2026-05-28 20:15:58.4'), 'systemd', 1, `${UNIT.kubelite}: Deactivated successfully.`);
  h1.prog(T('2026-05-28 20:16:20.0'), 'systemd', 1, `Started ${UNIT.kubelite} - Service for snap application microk8s.daemon-kubelite.`);

  // k8s02: kine.sock errors and k8s-dqlite restarts; the KCM loses its lease each time.
  kineDisruption(h2, T('2026-05-28 20:10:02.512001'), 3);
  kineDisruption(h2, T('2026-05-28 20:15:31.207880'), 4);
  kineDisruption(h2, T('2026-05-28 20:20:11.004518'), 5);
  kineDisruption(h2, T('2026-05-28 20:20:47.650129'), null);
  h2.klog(T('2026-05-28 20:10:17.9'), 'E', 'leaderelection.go:436', '"error retrieving resource lock" err="Get \\"https://127.0.0.1:16443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager?timeout=15s\\": context deadline exceeded" lock="kube-system/kube-controller-manager"');
  h2.klog(T('2026-05-28 20:10:18.0'), 'E', 'controllermanager.go:380', '"leaderelection lost"');

  // 20:21:03 reconnect marker, 20:21:04 six evictions of jiva-ctrl pods from k8s01.
  const ctrl = jivaCtrlPods(seed.fork('ctrl'), PVCS);
  evictionBurst(h2, T('2026-05-28 20:21:03.882164'), T('2026-05-28 20:21:04'), ctrl, 'k8s01');
  jivaExit(h1, newBoot[0] as number, T('2026-05-28 20:21:04.2'), T('2026-05-28 20:21:08.113402'), ctrl);

  // k8s02 20:21:09: the targets are gone; 120 s later both sessions die and ext4 goes read-only.
  cascade(h2, b2, T('2026-05-28 20:21:09'), [
    { ...seerr, flushTs: T('2026-05-28 20:23:39.420514') },
    { ...survive, flushTs: T('2026-05-28 20:27:12.507733') },
  ]);
  h2.klog(T('2026-05-28 20:28:02.3'), 'I', 'prober.go:107', '"Probe failed" probeType="Liveness" pod="media/seerr-seerr-chart-0" podUID="5f3c1e2d-8a7b-4c6d-9e0f-1a2b3c4d5e6f" containerName="seerr" probeResult="failure" output="Get \\"http://10.1.77.20:5055/api/v1/status\\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"');

  // k8s03: four iSCSI pods wait for volumes forever; informers stalled since ~20:47.
  const stuck = ['radarr-0', 'sonarr-0', 'readarr-0', 'calibreweb-0'];
  const uids = stuck.map(() => h3.rng.uuid());
  for (let t = T('2026-05-28 20:49:31.5'); t < T('2026-05-28 21:45:00'); t += 122_150_000) {
    stuck.forEach((p, i) => {
      const ts = t + i * 1_400_000;
      const err = `unmounted volumes=[config], unattached volumes=[config kube-api-access-${uids[i]!.slice(0, 5)}], failed to process volumes=[]: timed out waiting for the condition`;
      h3.klog(ts, 'E', 'kubelet.go:2157', `"Unable to attach or mount volumes for pod; skipping pod" err="${err}" pod="media/${p}"`);
      h3.klog(ts + 110, 'E', 'pod_workers.go:1301', `"Error syncing pod, skipping" err="${err}" pod="media/${p}" podUID="${uids[i]}"`);
    });
  }
  const dumpTs = T('2026-05-28 21:20:13.480021');
  const dump = goroutineDump(seed.fork('dump'), { listeners: 14, listenerMin: 33, stuckMounts: 4, mountMin: 33, uptimeMin: 140, extra: 130 });
  dump.forEach((l, i) => h3.add({ ts: dumpTs + i * 3, program: PROG.kubelite, pid: h3.profile.pids.kubelite, msg: l, unit: UNIT.kubelite, priority: 6 }));

  // k8s03: dependency-track crash-loops on the short service hostname.
  const dtUid = h3.rng.uuid();
  const dtClock = new ZoneClock(tz);
  const pods: string[] = [];
  let n = 0;
  for (let t = T('2026-05-28 12:03:10'); t < T('2026-05-29 02:25:00'); t += (300 + h3.rng.int(8, 20)) * 1e6) {
    if (t > (outage[2] as number) && t < (newBoot[2] as number) + 60e6) continue;
    const cid = h3.rng.hex(64);
    h3.containerd(t, 'info', `msg="CreateContainer within sandbox \\"${h3.rng.hex(64)}\\" for container &ContainerMetadata{Name:api-server,Attempt:${440 + n},}"`);
    h3.containerd(t + 310_000, 'info', `msg="StartContainer for \\"${cid}\\" returns successfully"`);
    h3.klog(t + 9_800_000, 'I', 'kubelet.go:2510', `"SyncLoop (PLEG): event for pod" pod="ci/dependency-track-api-server-0" event={"ID":"${dtUid}","Type":"ContainerDied","Data":"${cid}"}`);
    h3.klog(t + 10_100_000, 'E', 'pod_workers.go:1301', `"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"api-server\\" with CrashLoopBackOff: \\"back-off 5m0s restarting failed container=api-server pod=dependency-track-api-server-0_ci(${dtUid})\\"" pod="ci/dependency-track-api-server-0" podUID="${dtUid}"`);
    h3.klog(t + 10_100_400, 'I', 'event.go:389', `"Event occurred" object="ci/dependency-track-api-server-0" fieldPath="spec.containers{api-server}" kind="Pod" apiVersion="v1" type="Warning" reason="BackOff" message="Back-off restarting failed container api-server in pod dependency-track-api-server-0_ci(${dtUid})"`);
    if (t > T('2026-05-28 21:00:00') && pods.length < 4) pods.push(dtrackCrash(dtClock, t + 400_000, 'dependency-track-api-server-0', h3.rng, 440 + n).join('\n') + '\n');
    n++;
  }

  // Files.
  const p = (h: string, f: string): string => `${dir}/${h}/${f}`;
  const day = (d: string): number => T(`2026-05-${d} 00:00:00`);
  files.set(p('k8s02', 'syslog.2.gz'), gz(render(h2, 'rfc3164', { to: day('29'), kernelMono: true })));
  files.set(p('k8s02', 'syslog.1'), buf(render(h2, 'rfc3164', { from: day('29'), to: day('30'), kernelMono: true })));
  files.set(p('k8s02', 'syslog'), buf(render(h2, 'rfc3164', { from: day('30'), kernelMono: true })));
  files.set(p('k8s02', 'kern.log'), buf(render(h2, 'kern.log', { kernelOnly: true, from: T('2026-05-28 12:00:00') })));
  files.set(p('k8s02', 'dmesg'), buf(render(h2, 'dmesg', { kernelOnly: true, bootTs: b2 })));
  files.set(p('k8s01', 'syslog'), buf(render(h1, 'rfc3164', { kernelMono: true })));
  files.set(p('k8s03', 'syslog'), buf(render(h3, 'rfc3164', { kernelMono: true })));
  files.set(p('k8s03', 'kubelite.journal'), buf(render(h3, 'short-iso', { programs: [PROG.kubelite], from: T('2026-05-28 20:40:00'), to: T('2026-05-28 21:40:00') })));
  pods.forEach((c, i) => files.set(p('k8s03', `pods/ci_dependency-track-api-server-0/api-server/${i}.log`), buf(c)));

  files.set(`${dir}/expected.json`, buf(expectedJson({
    description: 'pvek8s power outage: kine disruption, KCM reconnect eviction burst of jiva-ctrl pods, iSCSI -> EXT4 read-only cascade on k8s02, kubelet informer stall on k8s03, dependency-track short-hostname crash loop.',
    options: { tz, year: 2026 },
    findings: [
      { rule: 'kine-watch-disruption', hosts: ['k8s02'], entities: {}, start: '2026-05-28T10:10:02Z', toleranceSeconds: 60 },
      { rule: 'kcm-reconnect-eviction-burst', hosts: ['k8s02'], entities: { evictions: 6, node: 'k8s01' }, start: '2026-05-28T10:21:03Z', end: '2026-05-28T10:21:04Z', toleranceSeconds: 5 },
      { rule: 'iscsi-readonly-cascade', hosts: ['k8s02'], entities: { device: 'sdb', timeoutSecs: 120 }, start: '2026-05-28T10:21:09Z', end: '2026-05-28T10:23:40Z', toleranceSeconds: 5 },
      { rule: 'iscsi-readonly-cascade', hosts: ['k8s02'], entities: { device: 'sdc', timeoutSecs: 120 }, start: '2026-05-28T10:21:09Z', end: '2026-05-28T10:27:13Z', toleranceSeconds: 5 },
      { rule: 'eviction-to-readonly-cascade', hosts: ['k8s02'], entities: {}, start: '2026-05-28T10:21:04Z', toleranceSeconds: 5 },
      { rule: 'iscsi-link-flap-recovered', hosts: ['k8s02'], entities: {}, start: '2026-05-28T09:16:07Z', end: '2026-05-28T09:16:14Z', toleranceSeconds: 5 },
      { rule: 'kubelet-informer-stall', hosts: ['k8s03'], entities: { minutes: 33 }, start: '2026-05-28T11:20:13Z', toleranceSeconds: 5 },
      { rule: 'jvm-short-service-hostname', hosts: ['k8s03'], entities: { hostname: 'dtrack-postgresql.ci' } },
      { rule: 'node-reboot', hosts: ['k8s01'], entities: {}, start: '2026-05-28T08:58:30Z', toleranceSeconds: 60 },
      { rule: 'node-reboot', hosts: ['k8s02'], entities: {}, start: '2026-05-28T08:58:41Z', toleranceSeconds: 60 },
      { rule: 'node-reboot', hosts: ['k8s03'], entities: {}, start: '2026-05-28T08:59:02Z', toleranceSeconds: 60 },
    ],
    absent: [],
  })));
}

/** 2. The same cascade in UTC: RFC 3339 syslog with rotations, RFC 5424, journal JSON. */
function rfc5424Utc(files: CorpusFiles): void {
  const dir = 'cascade-rfc5424-utc';
  const tz = 'UTC';
  const T = (s: string): number => lt(tz, s);
  const seed = new Rng(5424);
  const nodes = ['worker-a', 'worker-b', 'cp-1'];
  const boots = [T('2026-04-02 03:11:52.77'), T('2026-04-02 03:12:30.10'), T('2026-04-01 22:40:03.55')];
  const [wa, wb, cp] = nodes.map((n, i) => host(seed, n, tz, nodes, boots[i] as number)) as [HostLog, HostLog, HostLog];
  wa.noise(T('2026-04-12 00:00:00'), T('2026-04-15 09:00:00'), 30, boots[0] as number);
  wb.noise(T('2026-04-14 21:00:00'), T('2026-04-15 01:00:00'), 8, boots[1] as number);
  cp.noise(T('2026-04-14 22:30:00'), T('2026-04-15 00:45:00'), 8, boots[2] as number, { ...DEFAULT_WEIGHTS, kernel: 0, systemd: 0, cron: 0, sshd: 0, misc: 0, snapd: 0, iscsid: 0 });
  const b = boots[0] as number;
  const devs = [
    { session: 1, host: 2, dev: 'sdb', pvc: `pvc-${PVCS[2]}`, ip: '10.152.183.91', blocks: 20971520 },
    { session: 2, host: 3, dev: 'sdc', pvc: `pvc-${PVCS[3]}`, ip: '10.152.183.140', blocks: 10485760 },
    { session: 3, host: 4, dev: 'sdd', pvc: `pvc-${PVCS[4]}`, ip: '10.152.183.203', blocks: 10485760 },
  ];
  // sdb and sdc log in inside the logs; sdd (4:0:0:0) logged in before the oldest rotation kept.
  iscsiAttach(wa, b, T('2026-04-12 07:31:40.104000'), devs[0]!);
  iscsiAttach(wa, b, T('2026-04-12 07:31:44.550000'), devs[1]!);
  kineDisruption(cp, T('2026-04-14 23:52:40.118000'), 2);
  const ctrl = jivaCtrlPods(seed.fork('ctrl'), PVCS.slice(0, 6));
  evictionBurst(cp, T('2026-04-14 23:57:33.402000'), T('2026-04-14 23:57:34'), ctrl, 'worker-b');
  jivaExit(wb, boots[1] as number, T('2026-04-14 23:57:34.3'), T('2026-04-14 23:57:38.711000'), ctrl);
  cascade(wa, b, T('2026-04-14 23:57:39'), [
    { ...devs[0]!, flushTs: T('2026-04-14 23:59:44.300000') },
    { ...devs[1]!, flushTs: T('2026-04-15 00:00:21.804000') },
    { ...devs[2]!, flushTs: T('2026-04-15 00:02:05.119000') },
  ]);
  const p = (h: string, f: string): string => `${dir}/${h}/${f}`;
  // Rotation at midnight with copytruncate: the last lines of a file repeat at the top of the next.
  const cut = [T('2026-04-13 00:00:00'), T('2026-04-14 00:00:00'), T('2026-04-15 00:00:00')];
  const overlap = 4e6;
  const w = (from: number, to: number): string => render(wa, 'rfc3339', { from, to });
  files.set(p('worker-a', 'syslog.3.gz'), gz(w(-Infinity, cut[0]! + overlap)));
  files.set(p('worker-a', 'syslog.2.gz'), gz(w(cut[0]!, cut[1]! + overlap)));
  files.set(p('worker-a', 'syslog.1'), buf(w(cut[1]!, cut[2]! + overlap)));
  files.set(p('worker-a', 'syslog'), buf(w(cut[2]!, Infinity)));
  files.set(p('worker-b', 'syslog'), buf(render(wb, 'rfc5424')));
  files.set(p('cp-1', 'kubelite.json'), buf(render(cp, 'journal-json', { programs: [PROG.kubelite, PROG.dqlite, 'systemd'] }, { bootTs: boots[2], bootId: seed.hex(32), machineId: seed.hex(32) })));
  files.set(`${dir}/expected.json`, buf(expectedJson({
    description: 'iSCSI -> EXT4 read-only cascade on worker-a (three devices, one without an attach line) after a KCM reconnect eviction burst on cp-1; UTC, RFC 3339/5424, journal JSON, rotated files with overlaps.',
    options: { tz, year: 2026 },
    findings: [
      { rule: 'kine-watch-disruption', hosts: ['cp-1'], entities: {}, start: '2026-04-14T23:52:40Z', toleranceSeconds: 60 },
      { rule: 'kcm-reconnect-eviction-burst', hosts: ['cp-1'], entities: { evictions: 6, node: 'worker-b' }, start: '2026-04-14T23:57:33Z', end: '2026-04-14T23:57:34Z', toleranceSeconds: 5 },
      { rule: 'iscsi-readonly-cascade', hosts: ['worker-a'], entities: { device: 'sdb', timeoutSecs: 120 }, start: '2026-04-14T23:57:39Z', end: '2026-04-14T23:59:45Z', toleranceSeconds: 5 },
      { rule: 'iscsi-readonly-cascade', hosts: ['worker-a'], entities: { device: 'sdc', timeoutSecs: 120 }, start: '2026-04-14T23:57:39Z', end: '2026-04-15T00:00:22Z', toleranceSeconds: 5 },
      { rule: 'iscsi-readonly-cascade', hosts: ['worker-a'], entities: { address: '4:0:0:0', timeoutSecs: 120 }, start: '2026-04-14T23:57:39Z', end: '2026-04-15T00:02:06Z', toleranceSeconds: 5 },
      { rule: 'eviction-to-readonly-cascade', hosts: ['worker-a'], entities: {}, start: '2026-04-14T23:57:34Z', toleranceSeconds: 5 },
    ],
    absent: ['iscsi-link-flap-recovered', 'kubelet-informer-stall', 'jvm-short-service-hostname'],
  })));
}

/** 3. The cascade across the 2026-03-08 DST change in Chicago; dmesg -T, short-precise, year rollover. */
function chicago(files: CorpusFiles): void {
  const dir = 'cascade-dmesg-T-chicago';
  const tz = 'America/Chicago';
  const T = (s: string): number => lt(tz, s);
  const seed = new Rng(60608);
  const nodes = ['node-1', 'node-2', 'node-3'];
  const boots = [T('2026-03-06 14:20:11.5'), T('2026-03-01 09:02:44.1'), T('2025-12-20 11:30:00.0')];
  const [n1, n2, n3] = nodes.map((n, i) => host(seed, n, tz, nodes, boots[i] as number)) as [HostLog, HostLog, HostLog];
  const b1 = boots[0] as number;
  bootLines(n1, b1, { kernel: KERNEL, rootUuid: n1.rng.uuid(), memMb: 8192 });
  n1.noise(b1 + 25e6, T('2026-03-08 06:00:00'), 40, b1, { ...DEFAULT_WEIGHTS, kubelite: 0, containerd: 0, dqlite: 0, systemd: 0, cron: 0, sshd: 0, misc: 0, snapd: 0, iscsid: 0 });
  n1.noise(T('2026-03-07 18:00:00'), T('2026-03-08 06:00:00'), 16, b1, { ...DEFAULT_WEIGHTS, kernel: 0 });
  const devs = [
    { session: 1, host: 2, dev: 'sdb', pvc: `pvc-${PVCS[5]}`, ip: '10.152.183.77', blocks: 20971520 },
    { session: 2, host: 3, dev: 'sdc', pvc: `pvc-${PVCS[0]}`, ip: '10.152.183.78', blocks: 20971520 },
  ];
  iscsiAttach(n1, b1, T('2026-03-06 14:24:02.3'), devs[0]!);
  iscsiAttach(n1, b1, T('2026-03-06 14:24:05.9'), devs[1]!);
  n2.noise(T('2026-03-07 23:00:00'), T('2026-03-08 04:00:00'), 10, boots[1] as number, { ...DEFAULT_WEIGHTS, kernel: 0, systemd: 0, cron: 0, sshd: 0, misc: 0, snapd: 0, iscsid: 0 });
  const ctrl = jivaCtrlPods(seed.fork('ctrl'), PVCS.slice(0, 6));
  kineDisruption(n2, T('2026-03-08 01:49:12.300000'), 7);
  evictionBurst(n2, T('2026-03-08 01:59:52.120000'), T('2026-03-08 01:59:53'), ctrl, 'node-3');
  // 01:59:58 CST; the session times out at 03:01:58 CDT (120 s later in UTC).
  cascade(n1, b1, T('2026-03-08 01:59:58'), [
    { ...devs[0]!, flushTs: T('2026-03-08 03:02:30.881000') },
    { ...devs[1]!, flushTs: T('2026-03-08 03:04:11.200000') },
  ], { newKernelIoError: true });
  // node-3: a quiet host whose RFC 3164 syslog spans the new year.
  n3.noise(T('2025-12-29 00:00:00'), T('2026-03-08 04:00:00'), 2500, boots[2] as number);
  jivaExit(n3, boots[2] as number, T('2026-03-08 01:59:53.3'), T('2026-03-08 01:59:57.402000'), ctrl);
  const p = (h: string, f: string): string => `${dir}/${h}/${f}`;
  files.set(p('node-1', 'dmesg-T.txt'), buf(render(n1, 'dmesg-T', { kernelOnly: true, bootTs: b1 })));
  files.set(p('node-1', 'kern.log'), buf(render(n1, 'kern.log', { kernelOnly: true, from: T('2026-03-07 00:00:00') }, { mono: false })));
  files.set(p('node-1', 'syslog'), buf(render(n1, 'rfc3164', { from: T('2026-03-07 18:00:00') })));
  files.set(p('node-2', 'kubelite.txt'), buf(render(n2, 'short-precise', { programs: [PROG.kubelite, PROG.dqlite, 'systemd'] })));
  files.set(p('node-3', 'syslog'), buf(render(n3, 'rfc3164', { kernelMono: true })));
  files.set(`${dir}/expected.json`, buf(expectedJson({
    description: 'iSCSI -> EXT4 cascade across the 2026-03-08 US DST change (America/Chicago): dmesg -T, kern.log without mono stamps, journalctl short-precise, and a syslog spanning Dec 31 -> Jan 1.',
    options: { tz, year: 2026 },
    findings: [
      { rule: 'kine-watch-disruption', hosts: ['node-2'], entities: {}, start: '2026-03-08T07:49:12Z', toleranceSeconds: 60 },
      { rule: 'kcm-reconnect-eviction-burst', hosts: ['node-2'], entities: { evictions: 6, node: 'node-3' }, start: '2026-03-08T07:59:52Z', end: '2026-03-08T07:59:53Z', toleranceSeconds: 5 },
      { rule: 'iscsi-readonly-cascade', hosts: ['node-1'], entities: { device: 'sdb', timeoutSecs: 120 }, start: '2026-03-08T07:59:58Z', end: '2026-03-08T08:02:31Z', toleranceSeconds: 5 },
      { rule: 'iscsi-readonly-cascade', hosts: ['node-1'], entities: { device: 'sdc', timeoutSecs: 120 }, start: '2026-03-08T07:59:58Z', end: '2026-03-08T08:04:12Z', toleranceSeconds: 5 },
      { rule: 'eviction-to-readonly-cascade', hosts: ['node-1'], entities: {}, start: '2026-03-08T07:59:53Z', toleranceSeconds: 5 },
    ],
    absent: ['iscsi-link-flap-recovered', 'kubelet-informer-stall'],
  })));
}

/** 4. A link flap whose iSCSI sessions recover; plus a USB stick going read-only elsewhere. */
function negLinkFlap(files: CorpusFiles): void {
  const dir = 'neg-link-flap-recovered';
  const tz = 'Europe/Berlin';
  const T = (s: string): number => lt(tz, s);
  const seed = new Rng(1020);
  const nodes = ['edge-1', 'edge-2'];
  const boots = [T('2026-06-10 08:00:01.2'), T('2026-06-09 17:45:12.9')];
  const [e1, e2] = nodes.map((n, i) => host(seed, n, tz, nodes, boots[i] as number)) as [HostLog, HostLog];
  e1.noise(T('2026-06-12 00:00:00'), T('2026-06-12 12:00:00'), 18, boots[0] as number);
  e2.noise(T('2026-06-12 00:00:00'), T('2026-06-12 12:00:00'), 22, boots[1] as number);
  const b = boots[0] as number;
  iscsiAttach(e1, b, T('2026-06-12 01:10:02.5'), { session: 1, host: 2, dev: 'sdb', pvc: `pvc-${PVCS[3]}`, ip: '10.152.183.31', blocks: 20971520 });
  e1.kernelAt(b, T('2026-06-12 09:41:20.118000'), 'e1000e 0000:00:12.0 eth0: NIC Link is Down');
  e1.kernelAt(b, T('2026-06-12 09:41:21.004000'), ' connection1:0: detected conn error (1020)', 3);
  iscsidConnError(e1, T('2026-06-12 09:41:21.3'), 1);
  e1.kernelAt(b, T('2026-06-12 09:41:25.602000'), 'e1000e 0000:00:12.0 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx');
  e1.kernelAt(b, T('2026-06-12 09:41:25.990000'), 'IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready');
  e1.prog(T('2026-06-12 09:41:28.1'), 'iscsid', e1.profile.pids.iscsid, 'connection1:0 is operational after recovery (1 attempts)');
  // edge-2: a USB stick with ext4 fails; no iSCSI anywhere near it.
  const b2 = boots[1] as number;
  const u = (s: string, m: string): void => e2.kernelAt(b2, T(s), m, 3);
  u('2026-06-12 10:02:11.400000', 'usb 2-1: new SuperSpeed USB device number 3 using xhci_hcd');
  u('2026-06-12 10:02:11.900000', 'usb-storage 2-1:1.0: USB Mass Storage device detected');
  u('2026-06-12 10:02:11.901000', 'scsi host6: usb-storage 2-1:1.0');
  u('2026-06-12 10:02:12.950000', 'scsi 6:0:0:0: Direct-Access     SanDisk  Ultra            1.00 PQ: 0 ANSI: 6');
  u('2026-06-12 10:02:12.960000', 'sd 6:0:0:0: [sdx] Attached SCSI removable disk');
  u('2026-06-12 10:02:14.100000', 'EXT4-fs (sdx1): mounted filesystem 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d r/w with ordered data mode. Quota mode: none.');
  u('2026-06-12 10:30:40.200000', 'usb 2-1: USB disconnect, device number 3');
  u('2026-06-12 10:30:40.700000', 'Buffer I/O error on dev sdx1, logical block 1049, lost async page write');
  u('2026-06-12 10:30:40.800000', 'JBD2: Detected IO errors while flushing file data on sdx1-8');
  u('2026-06-12 10:30:40.801000', 'Aborting journal on device sdx1-8.');
  u('2026-06-12 10:30:40.900000', 'EXT4-fs error (device sdx1): ext4_journal_check_start:61: Detected aborted journal');
  u('2026-06-12 10:30:40.901000', 'EXT4-fs (sdx1): Remounting filesystem read-only');
  const p = (h: string, f: string): string => `${dir}/${h}/${f}`;
  files.set(p('edge-1', 'kern.log'), buf(render(e1, 'kern.log', { kernelOnly: true })));
  files.set(p('edge-1', 'syslog'), buf(render(e1, 'rfc3164', { kernelMono: true })));
  files.set(p('edge-2', 'kern.log'), buf(render(e2, 'kern.log', { kernelOnly: true })));
  files.set(p('edge-2', 'syslog'), buf(render(e2, 'rfc3164', { kernelMono: true })));
  files.set(`${dir}/expected.json`, buf(expectedJson({
    description: 'A 5-second link flap whose iSCSI session recovers, and an unrelated USB stick remounted read-only on another host: no cascade.',
    options: { tz, year: 2026 },
    findings: [{ rule: 'iscsi-link-flap-recovered', hosts: ['edge-1'], entities: {}, start: '2026-06-12T07:41:21Z', end: '2026-06-12T07:41:26Z', toleranceSeconds: 5 }],
    absent: ['iscsi-readonly-cascade', 'eviction-to-readonly-cascade'],
  })));
}

/** 5. A healthy kubelet goroutine dump; a JVM failing on a full FQDN. */
function negHealthyDump(files: CorpusFiles): void {
  const dir = 'neg-healthy-goroutine-dump';
  const tz = 'Australia/Brisbane';
  const T = (s: string): number => lt(tz, s);
  const seed = new Rng(4242);
  const h = host(seed, 'k8s03', tz, ['k8s01', 'k8s02', 'k8s03'], T('2026-06-01 07:00:00'));
  h.noise(T('2026-06-03 09:00:00'), T('2026-06-03 10:30:00'), 2.5, T('2026-06-01 07:00:00'), { ...DEFAULT_WEIGHTS, kernel: 0, systemd: 0, cron: 0, sshd: 0, misc: 0, snapd: 0, iscsid: 0 });
  const dumpTs = T('2026-06-03 10:02:41.3');
  const dump = goroutineDump(seed.fork('dump'), { listeners: 14, listenerMin: 1, stuckMounts: 0, mountMin: 0, uptimeMin: 3002, extra: 120 });
  dump.forEach((l, i) => h.add({ ts: dumpTs + i * 3, program: PROG.kubelite, pid: h.profile.pids.kubelite, msg: l, unit: UNIT.kubelite }));
  const clock = new ZoneClock(tz);
  const app = dtrackCrash(clock, T('2026-06-03 09:40:00'), 'dependency-track-api-server-0', seed, 0).map((l) => l.split('dtrack-postgresql.ci').join('dtrack-postgresql.ci.svc.cluster.local'));
  files.set(`${dir}/k8s03/kubelite.journal`, buf(render(h, 'short-iso', { programs: [PROG.kubelite] })));
  files.set(`${dir}/k8s03/pods/ci_dependency-track-api-server-0/api-server/0.log`, buf(`${app.join('\n')}\n`));
  files.set(`${dir}/expected.json`, buf(expectedJson({
    description: 'A healthy kubelet goroutine dump (processorListener waits of at most 2 minutes, nothing in WaitForAttachAndMount) and a JVM UnknownHostException for a full FQDN.',
    options: { tz, year: 2026 },
    findings: [],
    absent: ['kubelet-informer-stall', 'jvm-short-service-hostname'],
  })));
}

/** 6. kine.sock errors with no eviction burst; near-miss "Deleting pod" lines from other controllers. */
function negKineNoEviction(files: CorpusFiles): void {
  const dir = 'neg-kine-disconnect-no-eviction';
  const tz = 'Australia/Brisbane';
  const T = (s: string): number => lt(tz, s);
  const seed = new Rng(12379);
  const nodes = ['k8s01', 'k8s02', 'k8s03'];
  const boot = T('2026-07-01 06:00:00');
  const h = host(seed, 'k8s02', tz, nodes, boot);
  h.noise(T('2026-07-04 08:00:00'), T('2026-07-04 11:00:00'), 6, boot);
  kineDisruption(h, T('2026-07-04 09:12:44.310000'), 1);
  kineDisruption(h, T('2026-07-04 09:18:02.009000'), 2);
  h.klog(T('2026-07-04 09:18:30.100000'), 'I', 'leaderelection.go:271', '"successfully acquired lease" lock="kube-system/kube-controller-manager"');
  for (let i = 0; i < 5; i++) {
    h.klog(T('2026-07-04 09:18:33') + 20_000 + i * 900, 'I', 'gc_controller.go:343', `"Deleting pod" controller="pod-garbage-collector" pod="ci/build-runner-${h.rng.alnum(5)}"`);
  }
  h.klog(T('2026-07-04 09:40:01.5'), 'I', 'job_controller.go:566', `"Deleting pod" controller="job-controller" pod="ci/nightly-backup-29180940-${h.rng.alnum(5)}"`);
  files.set(`${dir}/k8s02/syslog`, buf(render(h, 'rfc3164', { kernelMono: true })));
  files.set(`${dir}/expected.json`, buf(expectedJson({
    description: 'k8s-dqlite restarts with kine.sock closed-connection errors, but no taint-eviction burst (only pod GC and job deletions).',
    options: { tz, year: 2026 },
    findings: [{ rule: 'kine-watch-disruption', hosts: ['k8s02'], entities: {}, start: '2026-07-03T23:12:44Z', toleranceSeconds: 60 }],
    absent: ['kcm-reconnect-eviction-burst', 'eviction-to-readonly-cascade'],
  })));
}

/** 7. A reconnect marker followed by single evictions minutes apart. */
function negSingleEviction(files: CorpusFiles): void {
  const dir = 'neg-single-eviction';
  const tz = 'Australia/Brisbane';
  const T = (s: string): number => lt(tz, s);
  const seed = new Rng(111);
  const nodes = ['k8s01', 'k8s02', 'k8s03'];
  const boot = T('2026-07-10 06:00:00');
  const h = host(seed, 'k8s01', tz, nodes, boot);
  h.noise(T('2026-07-12 13:00:00'), T('2026-07-12 16:00:00'), 6, boot);
  const ctrl = jivaCtrlPods(seed.fork('ctrl'), PVCS.slice(0, 3));
  h.klog(T('2026-07-12 14:30:07.220000'), 'I', 'controller.go:667', 'quota admission added evaluator for: daemonsets.apps');
  ['2026-07-12 14:30:08.1', '2026-07-12 14:33:51.7', '2026-07-12 14:37:26.4'].forEach((s, i) => {
    h.klog(T(s), 'I', 'taint_eviction.go:111', `"Deleting pod" controller="taint-eviction-controller" pod="openebs/${ctrl[i]}"`);
  });
  files.set(`${dir}/k8s01/syslog`, buf(render(h, 'rfc3164', { kernelMono: true })));
  files.set(`${dir}/expected.json`, buf(expectedJson({
    description: 'A KCM reconnect marker followed by one taint eviction, and two more minutes apart: not a burst.',
    options: { tz, year: 2026 },
    findings: [],
    absent: ['kcm-reconnect-eviction-burst', 'eviction-to-readonly-cascade'],
  })));
}

/** Builds every corpus file in memory. */
export function buildCorpus(): CorpusFiles {
  const files: CorpusFiles = new Map();
  pvek8s(files);
  rfc5424Utc(files);
  chicago(files);
  negLinkFlap(files);
  negHealthyDump(files);
  negKineNoEviction(files);
  negSingleEviction(files);
  return files;
}

/** Incident folder names. */
export const INCIDENTS = [
  'pvek8s-2026-05-28-power-outage',
  'cascade-rfc5424-utc',
  'cascade-dmesg-T-chicago',
  'neg-link-flap-recovered',
  'neg-healthy-goroutine-dump',
  'neg-kine-disconnect-no-eviction',
  'neg-single-eviction',
] as const;

/**
 * Writes the corpus under `outDir`; host subfolders of each incident are replaced, READMEs kept.
 * Returns the written paths (relative).
 */
export function writeCorpus(outDir: string): string[] {
  const files = buildCorpus();
  for (const inc of INCIDENTS) {
    const d = join(outDir, inc);
    if (!existsSync(d)) continue;
    for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) rmSync(join(d, e.name), { recursive: true, force: true });
  }
  for (const [rel, content] of files) {
    const abs = join(outDir, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  return [...files.keys()].sort();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ?? dirname(fileURLToPath(import.meta.url));
  const written = writeCorpus(out);
  const bytes = written.reduce((a, rel) => a + statSync(join(out, rel)).size, 0);
  console.log(`wrote ${written.length} files (${(bytes / 1e6).toFixed(1)} MB) under ${out}`);
}
