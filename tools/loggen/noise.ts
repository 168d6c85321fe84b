/**
 * Background message generators: what a healthy microk8s node writes between incidents.
 *
 * Every message is built from templates seen in real kubelite (klog), containerd, systemd, CRON,
 * kernel, iscsid, snapd and k8s-dqlite output, with varying pods, uids, ids and durations. None of
 * them contains an incident signature (see `signatures.ts`): rules must not fire on noise.
 */
import type { LogRecord } from './formats.js';
import { ZoneClock, klogStamp, logrusLocal, logrusUtc } from './formats.js';
import { Rng } from './rng.js';

/** A pod known to the noise generator. */
export interface PodInfo {
  ns: string;
  name: string;
  uid: string;
  ip: string;
  containers: string[];
}

/** Process ids of the long-running daemons of a host. */
export interface HostPids {
  kubelite: number;
  containerd: number;
  dqlite: number;
  iscsid: number;
  snapd: number;
  journald: number;
  logind: number;
  multipathd: number;
  resolved: number;
  networkd: number;
}

/** What the noise generator knows about a host. */
export interface HostProfile {
  host: string;
  tz: string;
  /** All node names of the cluster. */
  nodes: string[];
  pids: HostPids;
  pods: PodInfo[];
  /** Boot time, UTC µs (for audit stamps and kernel lines). */
  bootTs: number;
}

/** Background sources, used as keys of {@link NoiseWeights}. */
export type NoiseSource =
  | 'kubelite'
  | 'containerd'
  | 'systemd'
  | 'cron'
  | 'kernel'
  | 'iscsid'
  | 'snapd'
  | 'dqlite'
  | 'sshd'
  | 'misc';

/** Relative weights of the sources. */
export type NoiseWeights = Record<NoiseSource, number>;

/** Default mix of a microk8s worker's syslog. */
export const DEFAULT_WEIGHTS: NoiseWeights = {
  kubelite: 46,
  containerd: 14,
  systemd: 10,
  cron: 2,
  kernel: 9,
  iscsid: 0.4,
  snapd: 1.5,
  dqlite: 12,
  sshd: 1.2,
  misc: 3,
};

/** syslog identifiers used by microk8s' snap daemons. */
export const PROG = {
  kubelite: 'microk8s.daemon-kubelite',
  containerd: 'microk8s.daemon-containerd',
  dqlite: 'microk8s.daemon-k8s-dqlite',
} as const;

/** systemd units of those daemons. */
export const UNIT = {
  kubelite: 'snap.microk8s.daemon-kubelite.service',
  containerd: 'snap.microk8s.daemon-containerd.service',
  dqlite: 'snap.microk8s.daemon-k8s-dqlite.service',
} as const;

const APPS: ReadonlyArray<[string, string, string[]]> = [
  ['media', 'radarr-0', ['radarr']],
  ['media', 'sonarr-0', ['sonarr']],
  ['media', 'prowlarr-7d9c8b6f5-', ['prowlarr']],
  ['media', 'calibreweb-0', ['calibre-web']],
  ['media', 'jellyfin-5c7f9d8b4-', ['jellyfin']],
  ['monitoring', 'prometheus-k8s-0', ['prometheus', 'config-reloader']],
  ['monitoring', 'alertmanager-main-0', ['alertmanager', 'config-reloader']],
  ['monitoring', 'grafana-6b9f8c7d5-', ['grafana']],
  ['monitoring', 'node-exporter-', ['node-exporter', 'kube-rbac-proxy']],
  ['monitoring', 'kube-state-metrics-66b8f9c7d-', ['kube-state-metrics']],
  ['kube-system', 'calico-node-', ['calico-node']],
  ['kube-system', 'coredns-7896dbf49-', ['coredns']],
  ['kube-system', 'metrics-server-5f8f64cb86-', ['metrics-server']],
  ['kube-system', 'hostpath-provisioner-7b9cb5b7f-', ['hostpath-provisioner']],
  ['openebs', 'openebs-jiva-csi-node-', ['jiva-csi-plugin', 'csi-node-driver-registrar', 'liveness-probe']],
  ['openebs', 'openebs-jiva-operator-6d8f7b9c5-', ['jiva-operator']],
  ['ingress', 'nginx-ingress-microk8s-controller-', ['nginx-ingress-microk8s']],
  ['argocd', 'argocd-application-controller-0', ['argocd-application-controller']],
  ['argocd', 'argocd-repo-server-7c8d9f6b5-', ['argocd-repo-server']],
  ['ci', 'dependency-track-frontend-6f7b8c9d4-', ['frontend']],
  ['cert-manager', 'cert-manager-cainjector-5d9f8b7c6-', ['cert-manager-cainjector']],
  ['home', 'home-assistant-0', ['home-assistant']],
];

const IMAGES = [
  'docker.io/calico/node:v3.28.1',
  'registry.k8s.io/coredns/coredns:v1.12.0',
  'quay.io/prometheus/node-exporter:v1.9.1',
  'lscr.io/linuxserver/radarr:5.26.2',
  'lscr.io/linuxserver/sonarr:4.0.15',
  'docker.io/grafana/grafana:12.0.2',
  'docker.io/openebs/jiva:3.6.0',
  'docker.io/dependencytrack/frontend:4.13.2',
  'quay.io/argoproj/argocd:v3.0.6',
  'registry.k8s.io/pause:3.10',
];

const RESOURCES = ['pods', 'nodes', 'endpointslices', 'leases', 'configmaps', 'secrets', 'services', 'replicasets', 'events'];

/** Builds a klog line: `I0528 20:21:04.123456    2345 file.go:111] msg`. */
export function klogLine(clock: ZoneClock, sev: 'I' | 'W' | 'E' | 'F', ts: number, pid: number, loc: string, msg: string): string {
  return `${sev}${klogStamp(clock.parts(ts))} ${String(pid).padStart(7, ' ')} ${loc}] ${msg}`;
}

/** Makes a host profile with a deterministic pod set and daemon pids. */
export function makeHostProfile(rng: Rng, host: string, tz: string, nodes: string[], bootTs: number): HostProfile {
  const subnet = rng.int(0, 250);
  const pods: PodInfo[] = APPS.map(([ns, prefix, containers]) => ({
    ns,
    name: prefix.endsWith('-') ? `${prefix}${rng.alnum(5)}` : prefix,
    uid: rng.uuid(),
    ip: `10.1.${subnet}.${rng.int(2, 250)}`,
    containers,
  }));
  return {
    host,
    tz,
    nodes,
    bootTs,
    pods,
    pids: {
      kubelite: rng.int(1500, 4800),
      containerd: rng.int(1200, 1499),
      dqlite: rng.int(900, 1199),
      iscsid: rng.int(700, 899),
      snapd: rng.int(600, 699),
      journald: rng.int(300, 399),
      logind: rng.int(800, 899),
      multipathd: rng.int(400, 499),
      resolved: rng.int(500, 599),
      networkd: rng.int(550, 599),
    },
  };
}

function q(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** Generates realistic background records for one host. */
export class NoiseGen {
  private readonly clock: ZoneClock;
  private readonly cum: number[] = [];
  private readonly keys: NoiseSource[];
  private total = 0;
  private nextPid: number;
  private session = 0;
  private auditSerial = 0;

  constructor(
    private readonly rng: Rng,
    readonly profile: HostProfile,
    weights: NoiseWeights = DEFAULT_WEIGHTS,
  ) {
    this.clock = new ZoneClock(profile.tz);
    this.keys = Object.keys(weights) as NoiseSource[];
    for (const k of this.keys) {
      this.total += weights[k];
      this.cum.push(this.total);
    }
    this.nextPid = rng.int(20000, 90000);
    this.session = rng.int(10, 900);
    this.auditSerial = rng.int(100, 4000);
  }

  /** One background record at `ts` (UTC µs). */
  next(ts: number): LogRecord {
    const r = this.rng.next() * this.total;
    let i = 0;
    while (i < this.cum.length - 1 && r >= (this.cum[i] as number)) i++;
    return this.from(this.keys[i] as NoiseSource, ts);
  }

  /** One background record of a given source. */
  from(src: NoiseSource, ts: number): LogRecord {
    switch (src) {
      case 'kubelite':
        return this.rec(ts, PROG.kubelite, this.profile.pids.kubelite, this.kubelite(ts), UNIT.kubelite);
      case 'containerd':
        return this.rec(ts, PROG.containerd, this.profile.pids.containerd, this.containerd(ts), UNIT.containerd);
      case 'dqlite':
        return this.rec(ts, PROG.dqlite, this.profile.pids.dqlite, this.dqlite(ts), UNIT.dqlite);
      case 'systemd':
        return this.systemd(ts);
      case 'cron':
        return this.cron(ts);
      case 'kernel':
        return { ts, host: this.profile.host, program: 'kernel', msg: this.kernel(ts) };
      case 'iscsid':
        return this.rec(ts, 'iscsid', this.profile.pids.iscsid, this.iscsid(), 'iscsid.service');
      case 'snapd':
        return this.rec(ts, 'snapd', this.profile.pids.snapd, this.snapd(), 'snapd.service');
      case 'sshd':
        return this.sshd(ts);
      case 'misc':
        return this.misc(ts);
    }
  }

  private rec(ts: number, program: string, pid: number, msg: string, unit?: string, priority = 6): LogRecord {
    const o: LogRecord = { ts, host: this.profile.host, program, pid, msg, priority };
    if (unit) o.unit = unit;
    return o;
  }

  private pod(): PodInfo {
    return this.rng.pick(this.profile.pods);
  }

  private cid(): string {
    return this.rng.hex(64);
  }

  private dur(maxMs: number): string {
    const ms = this.rng.next() * maxMs;
    return ms < 1 ? `${(ms * 1000).toFixed(0)}µs` : ms < 1000 ? `${ms.toFixed(ms < 10 ? 3 : 1)}ms` : `${(ms / 1000).toFixed(3)}s`;
  }

  private kubelite(ts: number): string {
    const rng = this.rng;
    const p = this.pod();
    const pid = this.profile.pids.kubelite;
    const podRef = `pod="${p.ns}/${p.name}"`;
    const c = rng.pick(p.containers);
    const kl = (sev: 'I' | 'W' | 'E', loc: string, msg: string): string => klogLine(this.clock, sev, ts, pid, loc, msg);
    switch (rng.int(0, 23)) {
      case 0: {
        const v = `kube-api-access-${rng.alnum(5)}`;
        return kl('I', 'reconciler_common.go:245', `"operationExecutor.VerifyControllerAttachedVolume started for volume \\"${v}\\" (UniqueName: \\"kubernetes.io/projected/${p.uid}-${v}\\") pod \\"${p.name}\\" (UID: \\"${p.uid}\\") " ${podRef}`);
      }
      case 1: {
        const v = rng.pick(['config', 'data', 'tmp', 'cache', 'kube-api-access-' + rng.alnum(5)]);
        return kl('I', 'reconciler_common.go:218', `"operationExecutor.MountVolume started for volume \\"${v}\\" (UniqueName: \\"kubernetes.io/empty-dir/${p.uid}-${v}\\") pod \\"${p.name}\\" (UID: \\"${p.uid}\\") " ${podRef}`);
      }
      case 2: {
        const v = rng.pick(['config', 'tmp', 'web-config', 'tls-assets']);
        return kl('I', 'operation_generator.go:721', `"MountVolume.SetUp succeeded for volume \\"${v}\\" (UniqueName: \\"kubernetes.io/secret/${p.uid}-${v}\\") pod \\"${p.name}\\" (UID: \\"${p.uid}\\") " ${podRef}`);
      }
      case 3: {
        const port = rng.pick([8080, 9090, 8989, 7878, 3000, 8443, 10254]);
        const kind = rng.pick(['Readiness', 'Liveness', 'Startup']);
        const out = rng.pick([
          `Get \\"http://${p.ip}:${port}/healthz\\": dial tcp ${p.ip}:${port}: connect: connection refused`,
          `Get \\"http://${p.ip}:${port}/ping\\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
          `HTTP probe failed with statuscode: 503`,
        ]);
        return kl('I', 'prober.go:107', `"Probe failed" probeType="${kind}" ${podRef} podUID="${p.uid}" containerName="${c}" probeResult="failure" output="${out}"`);
      }
      case 4:
        return kl('I', 'kubelet.go:2542', `"SyncLoop (probe)" probe="${rng.pick(['readiness', 'liveness', 'startup'])}" status="${rng.pick(['ready', 'ready', 'started', ''])}" ${podRef}`);
      case 5:
        return kl('I', 'kubelet.go:2468', `"SyncLoop UPDATE" source="api" pods=["${p.ns}/${p.name}"]`);
      case 6:
        return kl('I', 'kubelet.go:2510', `"SyncLoop (PLEG): event for pod" ${podRef} event={"ID":"${p.uid}","Type":"ContainerStarted","Data":"${this.cid()}"}`);
      case 7:
        return kl('I', 'pod_startup_latency_tracker.go:104', `"Observed pod startup duration" ${podRef} podStartSLOduration=${(rng.next() * 9 + 0.5).toFixed(9)} podStartE2EDuration="${(rng.next() * 30 + 1).toFixed(9)}s" podCreationTimestamp="${new Date(ts / 1000 - rng.int(5, 90) * 1000).toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC" firstStartedPulling="0001-01-01 00:00:00 +0000 UTC" lastFinishedPulling="0001-01-01 00:00:00 +0000 UTC" observedRunningTime="${new Date(ts / 1000 - 1000).toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC" watchObservedRunningTime="${new Date(ts / 1000).toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC"`);
      case 8:
        return kl('I', 'status_manager.go:890', `"Status for pod updated successfully" ${podRef} statusVersion=${rng.int(1, 40)} status={"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}`);
      case 9:
        return kl('I', 'kuberuntime_manager.go:1114', `"computePodActions got for pod" podActions={"KillPod":false,"CreateSandbox":false,"SandboxID":"${this.cid().slice(0, 64)}","Attempt":0,"NextInitContainerToStart":null,"ContainersToStart":[],"ContainersToKill":{}} ${podRef}`);
      case 10:
        return kl('I', 'scope.go:117', `"RemoveContainer" containerID="${this.cid()}"`);
      case 11:
        return kl('E', 'remote_runtime.go:432', `"ContainerStatus from runtime service failed" err="rpc error: code = NotFound desc = an error occurred when try to find container \\"${this.cid()}\\": not found" containerID="${this.cid()}"`);
      case 12:
        return kl('I', 'alloc.go:330', `"allocated clusterIPs" service="${p.ns}/${c}-metrics" clusterIPs={"IPv4":"10.152.183.${rng.int(2, 254)}"}`);
      case 13:
        return kl('I', 'log.go:245', `http: TLS handshake error from 10.0.10.${rng.int(2, 60)}:${rng.int(32768, 60999)}: EOF`);
      case 14:
        return kl('W', 'warnings.go:70', `${rng.pick(['policy/v1beta1 PodSecurityPolicy is deprecated', 'autoscaling/v2beta2 HorizontalPodAutoscaler is deprecated in v1.23+, unavailable in v1.26+; use autoscaling/v2 HorizontalPodAutoscaler', 'spec.template.spec.containers[0].env[3]: hides previous definition of "TZ"'])}`);
      case 15:
        return kl('I', 'range_allocator.go:247', `"Successfully synced" key="${rng.pick(this.profile.nodes)}"`);
      case 16:
        return kl('I', 'cpu_manager.go:395', `"RemoveStaleState: removing container" podUID="${p.uid}" containerName="${c}"`);
      case 17:
        return kl('I', 'memory_manager.go:354', `"RemoveStaleState removing state" podUID="${p.uid}" containerName="${c}"`);
      case 18:
        return kl('I', 'garbagecollector.go:' + rng.pick([826, 832]), `"garbage collector: all resource monitors have synced"`);
      case 19:
        return kl('I', 'trace.go:236', `Trace[${rng.int(100000000, 999999999)}]: "List" accept:application/json, */*,audit-id:${rng.uuid()},client:10.0.10.${rng.int(2, 60)},api-group:,api-version:v1,name:,subresource:,namespace:${p.ns},protocol:HTTP/2.0,resource:${rng.pick(RESOURCES)},scope:namespace,url:/api/v1/namespaces/${p.ns}/${rng.pick(RESOURCES)},user-agent:kubectl/v1.36.1 (linux/amd64) kubernetes/abcdef0,verb:LIST (${new Date(ts / 1000).toUTCString()}) (total time: ${rng.int(500, 3000)}ms):`);
      case 20:
        return kl('I', 'image_gc_manager.go:' + rng.pick([383, 430]), `"Disk usage on image filesystem is over the high threshold, trying to free bytes down to the low threshold" usage=${rng.int(85, 90)} highThreshold=85 amountToFree=${rng.int(100000000, 900000000)} lowThreshold=80`);
      case 21:
        return kl('I', 'reconciler_common.go:159', `"operationExecutor.UnmountVolume started for volume \\"kube-api-access-${rng.alnum(5)}\\" (UniqueName: \\"kubernetes.io/projected/${p.uid}-kube-api-access\\") pod \\"${p.uid}\\" (UID: \\"${p.uid}\\") "`);
      case 22:
        return kl('I', 'kubelet_volumes.go:163', `"Cleaned up orphaned pod volumes dir" podUID="${rng.uuid()}" path="/var/snap/microk8s/common/var/lib/kubelet/pods/${rng.uuid()}/volumes"`);
      default:
        return kl('I', 'proxier.go:' + rng.pick([805, 1493]), `"SyncProxyRules complete" elapsed="${this.dur(120)}"`);
    }
  }

  private containerd(ts: number): string {
    const rng = this.rng;
    const p = this.pod();
    const t = `time="${logrusUtc(ts)}"`;
    const id = this.cid();
    switch (rng.int(0, 11)) {
      case 0:
        return `${t} level=info msg="StartContainer for \\"${id}\\" returns successfully"`;
      case 1:
        return `${t} level=info msg="CreateContainer within sandbox \\"${this.cid()}\\" for container &ContainerMetadata{Name:${rng.pick(p.containers)},Attempt:${rng.int(0, 3)},}"`;
      case 2:
        return `${t} level=info msg="RunPodSandbox for &PodSandboxMetadata{Name:${p.name},Uid:${p.uid},Namespace:${p.ns},Attempt:0,} returns sandbox id \\"${id}\\""`;
      case 3:
        return `${t} level=info msg="ImageCreate event name:\\"${rng.pick(IMAGES)}\\" labels:{key:\\"io.cri-containerd.image\\" value:\\"managed\\"}"`;
      case 4:
        return `${t} level=info msg="PullImage \\"${rng.pick(IMAGES)}\\" returns image reference \\"sha256:${this.cid()}\\""`;
      case 5:
        return `${t} level=info msg="connecting to shim ${id}" address="unix:///run/containerd/s/${rng.hex(64)}" namespace=k8s.io protocol=ttrpc version=3`;
      case 6:
        return `${t} level=info msg="StopPodSandbox for \\"${id}\\""`;
      case 7:
        return `${t} level=info msg="TearDown network for sandbox \\"${id}\\" successfully"`;
      case 8:
        return `${t} level=info msg="ExecSync for \\"${id}\\" with command [${rng.pick(['/bin/calico-node -felix-ready', '/bin/grpc_health_probe -addr=:9000', 'sh -c pg_isready'])}] and timeout ${rng.pick([1, 5, 10])} (s)"`;
      case 9:
        return `${t} level=info msg="ExecSync for \\"${id}\\" returns with exit code 0"`;
      case 10:
        return `${t} level=warning msg="cleanup warnings time=\\"${logrusUtc(ts)}\\" level=warning msg=\\"failed to remove runc container\\" error=\\"runc did not terminate successfully: exit status 255: \\" runtime=io.containerd.runc.v2\\n" namespace=k8s.io`;
      default:
        return `${t} level=info msg="RemoveContainer for \\"${id}\\" returns successfully"`;
    }
  }

  private dqlite(ts: number): string {
    const rng = this.rng;
    const t = `time="${logrusLocal(this.clock, ts)}"`;
    const rev = 4_000_000 + Math.floor(ts / 2_000_000) % 900_000;
    switch (rng.int(0, 5)) {
      case 0:
        return `${t} level=info msg="COMPACT compactRev=${rev - 1000} targetCompactRev=${rev - 500} currentRev=${rev}"`;
      case 1:
        return `${t} level=info msg="TRIGGERED /registry/${rng.pick(RESOURCES)}/${rng.pick(this.profile.pods).ns}/${rng.alnum(8)}, revision=${rev}, delete=${rng.chance(0.2)}"`;
      case 2:
        return `${t} level=debug msg="GET /registry/leases/kube-node-lease/${rng.pick(this.profile.nodes)}, rev=${rev} => rev=${rev}, kv=true, err=<nil>"`;
      case 3:
        return `${t} level=info msg="Slow SQL (started: ${new Date(ts / 1000 - 1500).toISOString()}) (total time: ${this.dur(3000)}): SELECT MAX(rkv.id) AS id FROM kine AS rkv" `;
      case 4:
        return `${t} level=info msg="dqlite: elected leader" address="10.0.10.${rng.int(11, 13)}:19001" id=${rng.int(1000000, 9999999)}`;
      default:
        return `${t} level=info msg="WATCH START id=${rng.int(1, 9999)}, count=1, key=/registry/${rng.pick(RESOURCES)}/, revision=${rev}"`;
    }
  }

  private systemd(ts: number): LogRecord {
    const rng = this.rng;
    const h = this.profile.host;
    const p = this.pod();
    const choice = rng.int(0, 9);
    let msg: string;
    switch (choice) {
      case 0: {
        const s = ++this.session;
        msg = `Started session-${s}.scope - Session ${s} of User ubuntu.`;
        break;
      }
      case 1:
        msg = `run-containerd-io.containerd.runtime.v2.task-k8s.io-${this.cid()}-rootfs.mount: Deactivated successfully.`;
        break;
      case 2:
        msg = `var-snap-microk8s-common-var-lib-kubelet-pods-${p.uid.replace(/-/g, '\\x2d')}-volumes-kubernetes.io\\x7eprojected-kube\\x2dapi\\x2daccess\\x2d${rng.alnum(5)}.mount: Deactivated successfully.`;
        break;
      case 3:
        msg = rng.pick(['Starting sysstat-collect.service - system activity accounting tool...', 'sysstat-collect.service: Deactivated successfully.', 'Finished sysstat-collect.service - system activity accounting tool.']);
        break;
      case 4:
        msg = rng.pick(['Starting fwupd-refresh.service - Refresh fwupd metadata and update motd...', 'Finished fwupd-refresh.service - Refresh fwupd metadata and update motd.', 'Starting apt-daily.service - Daily apt download activities...', 'apt-daily.service: Deactivated successfully.', 'Finished apt-daily.service - Daily apt download activities.']);
        break;
      case 5:
        msg = `cri-containerd-${this.cid()}.scope: Deactivated successfully.`;
        break;
      case 6:
        msg = `Started cri-containerd-${this.cid()}.scope - libcontainer container ${this.cid()}.`;
        break;
      case 7:
        msg = rng.pick(['Starting snap.microk8s.hook-configure-${x}.service'.replace('${x}', rng.alnum(6)) + '...', 'snapd.service: Deactivated successfully.', 'Starting snapd.service - Snap Daemon...', 'Started snapd.service - Snap Daemon.']);
        break;
      case 8:
        msg = `session-${this.session}.scope: Deactivated successfully.`;
        break;
      default:
        msg = `Started run-containerd-runc-k8s.io-${this.cid()}-runc.${rng.alnum(6)}.mount - /run/containerd/runc/k8s.io/${this.cid().slice(0, 12)}/runc.${rng.alnum(6)}.`;
    }
    return { ts, host: h, program: 'systemd', pid: 1, msg, priority: 6, unit: 'init.scope' };
  }

  private cron(ts: number): LogRecord {
    const rng = this.rng;
    const pid = this.nextPid++;
    const msg = rng.pick([
      '(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)',
      '(root) CMD (   cd / && run-parts --report /etc/cron.hourly)',
      '(root) CMD ([ -x /usr/lib/php/sessionclean ] && if [ ! -d /run/systemd/system ]; then /usr/lib/php/sessionclean; fi)',
      'pam_unix(cron:session): session opened for user root(uid=0) by root(uid=0)',
      'pam_unix(cron:session): session closed for user root',
      '(root) CMD (/snap/microk8s/current/usr/bin/backup-etcd.sh >/dev/null 2>&1)',
    ]);
    return { ts, host: this.profile.host, program: 'CRON', pid, msg, priority: 6, facility: 9 };
  }

  private kernel(ts: number): string {
    const rng = this.rng;
    const veth = `veth${rng.hex(8)}`;
    const port = rng.int(2, 40);
    switch (rng.int(0, 9)) {
      case 0:
        return `IPv6: ADDRCONF(NETDEV_CHANGE): cali${rng.hex(11)}: link becomes ready`;
      case 1: {
        const sec = Math.floor(ts / 1_000_000);
        const ms = Math.floor((ts / 1000) % 1000);
        const pid = this.nextPid++;
        return `audit: type=1400 audit(${sec}.${String(ms).padStart(3, '0')}:${++this.auditSerial}): apparmor="${rng.pick(['DENIED', 'STATUS', 'ALLOWED'])}" operation="${rng.pick(['open', 'profile_load', 'capable', 'ptrace'])}" class="file" profile="${rng.pick(['snap.microk8s.daemon-containerd', 'cri-containerd.apparmor.d', 'snap-update-ns.microk8s', 'unconfined'])}" name="/proc/${pid}/${rng.pick(['mounts', 'cgroup', 'stat'])}" pid=${pid} comm="${rng.pick(['runc', 'containerd-shim', 'apparmor_parser', 'calico-node'])}" requested_mask="r" denied_mask="r" fsuid=0 ouid=0`;
      }
      case 2:
        return `cni0: port ${port}(${veth}) entered forwarding state`;
      case 3:
        return `cni0: port ${port}(${veth}) entered blocking state`;
      case 4:
        return `cni0: port ${port}(${veth}) entered disabled state`;
      case 5:
        return `device ${veth} entered promiscuous mode`;
      case 6:
        return `device ${veth} left promiscuous mode`;
      case 7:
        return `IPVS: rr: ${rng.pick(['TCP', 'UDP'])} 10.152.183.${rng.int(2, 254)}:${rng.pick([53, 443, 9153, 8080])} - no destination available`;
      case 8:
        return `overlayfs: upper fs does not support RENAME_WHITEOUT.`;
      default:
        return `TCP: ${rng.pick(['eth0', 'vxlan.calico'])}: Driver has suspect GRO implementation, TCP performance may be compromised.`;
    }
  }

  private iscsid(): string {
    return this.rng.pick([
      `Could not set session${this.rng.int(1, 6)} priority. READ/WRITE throughout and latency could be affected.`,
      'iSCSI daemon with pid=' + this.profile.pids.iscsid + ' started!',
      `Could not set session${this.rng.int(1, 6)} priority. READ/WRITE throughout and latency could be affected.`,
    ]);
  }

  private snapd(): string {
    return this.rng.pick([
      'storehelpers.go:925: cannot refresh: snap has no updates available: "core20", "core22", "lxd", "microk8s", "snapd"',
      'autorefresh.go:551: auto-refresh: all snaps are up-to-date',
      'daemon.go:1039: gracefully waiting for running hooks',
      'overlord.go:530: Released state lock file',
      `api_snaps.go:${this.rng.int(300, 500)}: Installing snap "microk8s" revision unset`,
    ]);
  }

  private sshd(ts: number): LogRecord {
    const rng = this.rng;
    const pid = this.nextPid++;
    const ip = `10.0.10.${rng.int(2, 60)}`;
    const msg = rng.pick([
      `Accepted publickey for ubuntu from ${ip} port ${rng.int(32768, 60999)} ssh2: ED25519 SHA256:${rng.alnum(43)}`,
      'pam_unix(sshd:session): session opened for user ubuntu(uid=1000) by ubuntu(uid=0)',
      `Received disconnect from ${ip} port ${rng.int(32768, 60999)}:11: disconnected by user`,
      `Disconnected from user ubuntu ${ip} port ${rng.int(32768, 60999)}`,
      'pam_unix(sshd:session): session closed for user ubuntu',
    ]);
    return { ts, host: this.profile.host, program: 'sshd', pid, msg, priority: 6, facility: 10 };
  }

  private misc(ts: number): LogRecord {
    const rng = this.rng;
    const h = this.profile.host;
    const pids = this.profile.pids;
    switch (rng.int(0, 5)) {
      case 0:
        return { ts, host: h, program: 'systemd-logind', pid: pids.logind, msg: rng.pick([`New session ${this.session} of user ubuntu.`, `Session ${this.session} logged out. Waiting for processes to exit.`, `Removed session ${this.session}.`]) };
      case 1:
        return { ts, host: h, program: 'multipathd', pid: pids.multipathd, msg: rng.pick(['sda: failed to get udev uid: Invalid argument', 'sda: failed to get sysfs uid: Invalid argument', 'sda: failed to get sgio uid: No such file or directory', 'sda: add missing path']) };
      case 2:
        return { ts, host: h, program: 'systemd-resolved', pid: pids.resolved, msg: rng.pick(['Clock change detected. Flushing caches.', 'Using degraded feature set UDP instead of UDP+EDNS0 for DNS server 10.0.10.1.', 'Using degraded feature set TCP instead of UDP for DNS server 10.0.10.1.']) };
      case 3:
        return { ts, host: h, program: 'systemd-networkd', pid: pids.networkd, msg: `cali${rng.hex(11)}: ${rng.pick(['Link UP', 'Gained carrier', 'Gained IPv6LL', 'Link DOWN', 'Lost carrier'])}` };
      case 4:
        return { ts, host: h, program: 'systemd-journald', pid: pids.journald, msg: `Data hash table of /var/log/journal/${rng.hex(32)}/system.journal has a fill level at 75.${rng.int(0, 9)} (${rng.int(8000, 9000)} of ${rng.int(11000, 12000)} items, ${rng.int(4, 8)}554432 file size, ${rng.int(500, 700)} bytes per hash table item), suggesting rotation.` };
      default:
        return { ts, host: h, program: 'rsyslogd', msg: `[origin software="rsyslogd" swVersion="8.2312.0" x-pid="${rng.int(700, 900)}" x-info="https://www.rsyslog.com"] rsyslogd was HUPed` };
    }
  }
}
