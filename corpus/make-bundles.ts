/**
 * Generates the support-bundle incidents of the corpus, deterministically:
 *
 *   npx tsx corpus/make-bundles.ts [outDir]      (default: the corpus/ folder itself)
 *
 * - `bundle-pvek8s-2026-05-28-outage`: a `microk8s inspect` tarball per node of the 2026-05-28 outage
 *   (members are the outage's logs from `pvek8s-2026-05-28-power-outage`), a `kubectl cluster-info
 *   dump` folder of the cluster after it, and a kubelet /metrics scrape of k8s03.
 * - `bundle-healthy-cluster-state`: the same shapes of a healthy cluster (rules stay silent), and a
 *   truncated tarball (a warning, never a crash).
 *
 * Tarballs are built with tar-stream (fixed mtimes, uid 0) and gzip level 9, so bytes are stable.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { expectedJson } from './lib.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUTAGE = join(HERE, 'pvek8s-2026-05-28-power-outage');
/** When the bundles were collected (2026-05-28 21:30 AEST). */
const COLLECTED = new Date('2026-05-28T11:30:00Z');
const COLLECTED_MS = COLLECTED.getTime();

/** Files of an incident: path relative to the corpus folder -> content. */
export type BundleFiles = Map<string, Buffer>;

async function tarGz(members: Array<[string, Buffer | string]>): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((res, rej) => {
    p.on('data', (c: unknown) => chunks.push(c as Buffer));
    p.on('end', () => res());
    p.on('error', rej);
  });
  const dirs = new Set<string>();
  for (const [name] of members) {
    const parts = name.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(`${parts.slice(0, i).join('/')}/`);
  }
  const header = { mtime: COLLECTED, uid: 0, gid: 0, uname: 'root', gname: 'root' };
  for (const d of [...dirs].sort()) p.entry({ ...header, name: d, type: 'directory', mode: 0o755 });
  for (const [name, body] of members) p.entry({ ...header, name, mode: 0o644 }, typeof body === 'string' ? Buffer.from(body) : body);
  p.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks), { level: 9 });
}

const json = (o: unknown): Buffer => Buffer.from(`${JSON.stringify(o, null, 4)}\n`);

interface PodSpec {
  ns: string;
  name: string;
  node: string;
  labels: Record<string, string>;
  phase: string;
  container: string;
  waiting?: string;
  restarts?: number;
  lastReason?: string;
}

function pod(p: PodSpec): Record<string, unknown> {
  const state = p.waiting ? { waiting: { reason: p.waiting, ...(p.waiting === 'CrashLoopBackOff' ? { message: `back-off 5m0s restarting failed container=${p.container} pod=${p.name}_${p.ns}` } : {}) } } : { running: { startedAt: '2026-05-28T09:10:00Z' } };
  return {
    metadata: { name: p.name, namespace: p.ns, labels: p.labels, uid: `uid-${p.name}`, creationTimestamp: '2026-05-20T02:00:00Z' },
    spec: { nodeName: p.node, containers: [{ name: p.container, image: `example/${p.container}:1` }], volumes: [{ name: 'config' }] },
    status: {
      phase: p.phase,
      conditions: [{ type: 'Ready', status: p.waiting ? 'False' : 'True' }],
      containerStatuses: [
        {
          name: p.container,
          ready: !p.waiting,
          restartCount: p.restarts ?? 0,
          state,
          ...(p.lastReason ? { lastState: { terminated: { reason: p.lastReason, exitCode: 1, finishedAt: '2026-05-28T11:25:31Z' } } } : { lastState: {} }),
          image: `example/${p.container}:1`,
        },
      ],
    },
  };
}

function replicaSet(ns: string, name: string, app: string, hash: string, status: Record<string, number>): Record<string, unknown> {
  return {
    metadata: { name, namespace: ns, labels: { app, 'pod-template-hash': hash }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: app, controller: true }] },
    spec: { replicas: 1, selector: { matchLabels: { app, 'pod-template-hash': hash } } },
    status: { observedGeneration: 3, ...status },
  };
}

const ISCSI = ['pvc-746b2837', 'pvc-a3a7e012', 'pvc-1c9e5f7a', 'pvc-5e8d2c1b'].map((p, i) => `kubernetes.io/iscsi/10.152.183.${20 + i}:3260-iqn.2016-09.com.openebs.jiva:${p}-lun-0`);

function node(name: string, inUse: string[], attached: string[]): Record<string, unknown> {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: {},
    status: {
      conditions: [
        { type: 'MemoryPressure', status: 'False' },
        { type: 'Ready', status: 'True', reason: 'KubeletReady' },
      ],
      volumesInUse: inUse,
      volumesAttached: attached.map((n) => ({ name: n, devicePath: '' })),
      nodeInfo: { kubeletVersion: 'v1.30.1' },
    },
  };
}

function clusterDump(files: BundleFiles, dir: string, o: { healthy: boolean }): void {
  const d = `${dir}/cluster-info-dump`;
  const nodes = ['k8s01', 'k8s02', 'k8s03'].map((n) => (n === 'k8s03' ? node(n, ISCSI, o.healthy ? ISCSI : []) : node(n, [], [])));
  files.set(`${d}/nodes.json`, json({ kind: 'NodeList', apiVersion: 'v1', metadata: { resourceVersion: '918273' }, items: nodes }));
  const media: PodSpec[] = o.healthy
    ? [
        { ns: 'media', name: 'radarr-7d9f5c6b8-q2w3e', node: 'k8s03', labels: { app: 'radarr', 'pod-template-hash': '7d9f5c6b8' }, phase: 'Running', container: 'radarr' },
        { ns: 'media', name: 'sonarr-0', node: 'k8s03', labels: { app: 'sonarr' }, phase: 'Running', container: 'sonarr' },
      ]
    : [
        { ns: 'media', name: 'sonarr-0', node: 'k8s03', labels: { app: 'sonarr' }, phase: 'Pending', container: 'sonarr', waiting: 'ContainerCreating' },
        { ns: 'media', name: 'lidarr-0', node: 'k8s03', labels: { app: 'lidarr' }, phase: 'Pending', container: 'lidarr', waiting: 'ContainerCreating' },
        { ns: 'media', name: 'prowlarr-0', node: 'k8s03', labels: { app: 'prowlarr' }, phase: 'Pending', container: 'prowlarr', waiting: 'ContainerCreating' },
      ];
  files.set(`${d}/media/pods.json`, json({ kind: 'PodList', apiVersion: 'v1', metadata: {}, items: media.map(pod) }));
  files.set(
    `${d}/media/replicasets.json`,
    json({
      kind: 'ReplicaSetList',
      apiVersion: 'apps/v1',
      metadata: {},
      items: [
        replicaSet('media', 'radarr-7d9f5c6b8', 'radarr', '7d9f5c6b8', o.healthy ? { replicas: 1, readyReplicas: 1, availableReplicas: 1, terminatingReplicas: 0 } : { replicas: 1, readyReplicas: 0, availableReplicas: 0, terminatingReplicas: 1 }),
        // An old revision scaled to zero: never a finding.
        replicaSet('media', 'radarr-5c4b3a2d1', 'radarr', '5c4b3a2d1', { replicas: 0 }),
      ],
    }),
  );
  const dtrack: PodSpec = o.healthy
    ? { ns: 'ci', name: 'dependency-track-api-server-0', node: 'k8s02', labels: { app: 'dependency-track' }, phase: 'Running', container: 'api-server', restarts: 2, lastReason: 'Error' }
    : { ns: 'ci', name: 'dependency-track-api-server-0', node: 'k8s03', labels: { app: 'dependency-track' }, phase: 'Running', container: 'api-server', waiting: 'CrashLoopBackOff', restarts: 501, lastReason: 'Error' };
  files.set(`${d}/ci/pods.json`, json({ kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [pod(dtrack)] }));
  files.set(`${d}/ci/replicasets.json`, json({ kind: 'ReplicaSetList', apiVersion: 'apps/v1', metadata: {}, items: [] }));
  files.set(`${d}/ci/events.json`, json({ kind: 'EventList', apiVersion: 'v1', metadata: {}, items: [] }));
  // Pod logs of the dump: their host is the pod's node (from pods.json).
  // `kubectl logs` prints the container's lines without the CRI prefix.
  const log = o.healthy
    ? ['2026-05-28 11:20:01,000 [main] INFO  alpine.server.AlpineServlet - Dependency-Track is ready']
    : readFileSync(join(OUTAGE, 'k8s03/pods/ci_dependency-track-api-server-0/api-server/3.log'), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.replace(/^\S+ (?:stdout|stderr) [FP] /, ''));
  if (log.length > 0) files.set(`${d}/ci/dependency-track-api-server-0/logs.txt`, Buffer.from(`${log.join('\n')}\n`));
}

function metrics(healthy: boolean): Buffer {
  const ts = ` ${COLLECTED_MS}`;
  const lines = [
    '# HELP kubelet_running_pods [ALPHA] Number of pods that have a running pod sandbox',
    '# TYPE kubelet_running_pods gauge',
    `kubelet_running_pods ${healthy ? 14 : 9}${ts}`,
    '# HELP volume_manager_total_volumes [ALPHA] Number of volumes in Volume Manager',
    '# TYPE volume_manager_total_volumes gauge',
    `volume_manager_total_volumes{plugin_name="kubernetes.io/configmap",state="actual_state_of_world"} 7${ts}`,
    `volume_manager_total_volumes{plugin_name="kubernetes.io/configmap",state="desired_state_of_world"} 7${ts}`,
    ...(healthy ? [`volume_manager_total_volumes{plugin_name="kubernetes.io/iscsi",state="actual_state_of_world"} 4${ts}`] : []),
    `volume_manager_total_volumes{plugin_name="kubernetes.io/iscsi",state="desired_state_of_world"} 4${ts}`,
    `volume_manager_total_volumes{plugin_name="kubernetes.io/projected",state="actual_state_of_world"} 9${ts}`,
    `volume_manager_total_volumes{plugin_name="kubernetes.io/projected",state="desired_state_of_world"} 9${ts}`,
    '# HELP storage_operation_duration_seconds [ALPHA] Storage operation duration',
    '# TYPE storage_operation_duration_seconds histogram',
    ...['0.1', '1', '10', '+Inf'].map((le) => `storage_operation_duration_seconds_bucket{migrated="false",operation_name="volume_mount",status="success",volume_plugin="kubernetes.io/configmap",le="${le}"} 7${ts}`),
    `storage_operation_duration_seconds_sum{migrated="false",operation_name="volume_mount",status="success",volume_plugin="kubernetes.io/configmap"} 0.21${ts}`,
    `storage_operation_duration_seconds_count{migrated="false",operation_name="volume_mount",status="success",volume_plugin="kubernetes.io/configmap"} 7${ts}`,
    ...(healthy
      ? [
          `storage_operation_duration_seconds_sum{migrated="false",operation_name="volume_mount",status="success",volume_plugin="kubernetes.io/iscsi"} 3.9${ts}`,
          `storage_operation_duration_seconds_count{migrated="false",operation_name="volume_mount",status="success",volume_plugin="kubernetes.io/iscsi"} 4${ts}`,
        ]
      : []),
  ];
  return Buffer.from(`${lines.join('\n')}\n`);
}

const systemctl = (svc: string, host: string): string =>
  `● ${svc}.service - Service for snap application microk8s.daemon-kubelite\n     Loaded: loaded (/etc/systemd/system/${svc}.service; enabled; vendor preset: enabled)\n     Active: active (running) since Thu 2026-05-28 19:00:12 AEST; 2h 29min ago\n\nMay 28 21:29:58 ${host} microk8s.daemon-kubelite[4126]: I0528 21:29:58.000001    4126 kubelet.go:2400] "SyncLoop (housekeeping)"\n`;

async function inspectTarball(host: string, logs: Array<[string, Buffer]>): Promise<Buffer> {
  return tarGz([
    ['inspection-report/snap.microk8s.daemon-cluster-agent/journal.log', `-- No entries --\n`],
    ...logs.map(([n, b]) => [`inspection-report/${n}`, b] as [string, Buffer]),
    ['inspection-report/snap.microk8s.daemon-kubelite/systemctl.log', systemctl('snap.microk8s.daemon-kubelite', host)],
    ['inspection-report/args/kubelet', '--kubeconfig=${SNAP_DATA}/credentials/kubelet.config\n--node-ip=10.0.0.13\n'],
    ['inspection-report/sys/uptime', ' 21:30:00 up  2:31,  1 user,  load average: 0.52, 0.61, 0.70\n'],
    ['inspection-report/network/ifconfig', 'eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n'],
    ['inspection-report/k8s/version', 'Client Version: v1.30.1\nServer Version: v1.30.1\n'],
  ]);
}

async function outage(files: BundleFiles): Promise<void> {
  const dir = 'bundle-pvek8s-2026-05-28-outage';
  const o = (p: string): Buffer => readFileSync(join(OUTAGE, p));
  // The per-node journals are the outage's syslogs / kubelite journal (short-iso output of journalctl).
  files.set(`${dir}/k8s01/inspection-report-20260528_213000.tar.gz`, await inspectTarball('k8s01', [['snap.microk8s.daemon-kubelite/journal.log', o('k8s01/syslog')]]));
  files.set(
    `${dir}/k8s02/inspection-report-20260528_213004.tar.gz`,
    await inspectTarball('k8s02', [
      ['snap.microk8s.daemon-kubelite/journal.log', Buffer.concat([gunzipSync(o('k8s02/syslog.2.gz')), o('k8s02/syslog.1'), o('k8s02/syslog')])],
      ['apparmor/dmesg', o('k8s02/dmesg')],
    ]),
  );
  files.set(`${dir}/k8s03/inspection-report-20260528_213011.tar.gz`, await inspectTarball('k8s03', [['snap.microk8s.daemon-kubelite/journal.log', o('k8s03/kubelite.journal')]]));
  files.set(`${dir}/k8s03/kubelet-metrics.prom`, metrics(false));
  clusterDump(files, dir, { healthy: false });
  files.set(
    `${dir}/expected.json`,
    Buffer.from(
      expectedJson({
        description: 'pvek8s outage as support bundles: microk8s inspect tarball per node, cluster-info dump and a kubelet metrics scrape of k8s03 after it.',
        options: { tz: 'Australia/Brisbane', year: 2026 },
        findings: [
          { rule: 'kcm-reconnect-eviction-burst', hosts: ['k8s02'], entities: { evictions: 6, node: 'k8s01' }, start: '2026-05-28T10:21:03Z', end: '2026-05-28T10:21:04Z', toleranceSeconds: 5 },
          { rule: 'kubelet-informer-stall', hosts: ['k8s03'], entities: { minutes: 33 } },
          { rule: 'rs-stale-terminating-replicas', entities: { replicaset: 'media/radarr-7d9f5c6b8', terminating: 1 } },
          { rule: 'node-volumes-in-use-unattached', hosts: ['k8s03'], entities: { node: 'k8s03', inUse: 4, creating: 3 } },
          { rule: 'crashloop-long-running', hosts: ['k8s03'], entities: { pod: 'ci/dependency-track-api-server-0', container: 'api-server', restarts: 501, reason: 'Error' } },
          { rule: 'volume-manager-stall-metrics', hosts: ['k8s03'], entities: { plugin: 'kubernetes.io/iscsi', desired: 4 }, start: '2026-05-28T11:30:00Z', toleranceSeconds: 1 },
        ],
        absent: [],
      }),
    ),
  );
}

async function healthy(files: BundleFiles): Promise<void> {
  const dir = 'bundle-healthy-cluster-state';
  const journal = [
    '2026-05-28T21:00:01+1000 k8s03 microk8s.daemon-kubelite[4126]: I0528 21:00:01.000001    4126 kubelet.go:2400] "SyncLoop (housekeeping)"',
    '2026-05-28T21:00:02+1000 k8s03 microk8s.daemon-kubelite[4126]: I0528 21:00:02.000001    4126 reconciler_common.go:245] "operationExecutor.MountVolume started for volume" volume="config" pod="media/radarr-7d9f5c6b8-q2w3e"',
    '2026-05-28T21:00:03+1000 k8s03 microk8s.daemon-kubelite[4126]: I0528 21:00:03.000001    4126 operation_generator.go:721] "MountVolume.SetUp succeeded for volume" volume="config" pod="media/radarr-7d9f5c6b8-q2w3e"',
  ].join('\n');
  files.set(`${dir}/k8s03/inspection-report-20260528_213011.tar.gz`, await inspectTarball('k8s03', [['snap.microk8s.daemon-kubelite/journal.log', Buffer.from(`${journal}\n`)]]));
  // A tarball cut short in transfer: read up to the damage, with a warning.
  const full = await inspectTarball('k8s02', [['snap.microk8s.daemon-kubelite/journal.log', Buffer.from(`${journal.replaceAll('k8s03', 'k8s02')}\n`.repeat(40))]]);
  files.set(`${dir}/k8s02/inspection-report-20260528_213004.tar.gz`, full.subarray(0, Math.floor(full.length * 0.6)));
  files.set(`${dir}/k8s03/kubelet-metrics.prom`, metrics(true));
  clusterDump(files, dir, { healthy: true });
  files.set(
    `${dir}/expected.json`,
    Buffer.from(
      expectedJson({
        description: 'Healthy counterparts of the bundle incident: ReplicaSet with its pod, volumes attached, short crash history, iSCSI volumes reconciled; one truncated tarball.',
        options: { tz: 'Australia/Brisbane', year: 2026 },
        findings: [],
        absent: ['rs-stale-terminating-replicas', 'volume-manager-stall-metrics', 'node-volumes-in-use-unattached', 'crashloop-long-running', 'kubelet-informer-stall'],
      }),
    ),
  );
}

/** Every bundle incident's files (relative to the corpus folder). */
export async function bundleFiles(): Promise<BundleFiles> {
  const files: BundleFiles = new Map();
  await outage(files);
  await healthy(files);
  return files;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(process.argv[2] ?? HERE);
  const files = await bundleFiles();
  // Host folders and generated files are replaced; the hand-written READMEs are kept.
  for (const d of new Set([...files.keys()].map((k) => k.split('/')[0]))) {
    if (!existsSync(join(out, d))) continue;
    for (const e of readdirSync(join(out, d), { withFileTypes: true })) if (e.name !== 'README.md') rmSync(join(out, d, e.name), { recursive: true, force: true });
  }
  for (const [rel, body] of files) {
    mkdirSync(dirname(join(out, rel)), { recursive: true });
    writeFileSync(join(out, rel), body);
  }
  console.log(`wrote ${files.size} files under ${out}`);
}
