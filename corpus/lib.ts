/**
 * Building blocks of the recorded-incident corpus: timelines of records per host, noise fill,
 * kernel boot lines, the iSCSI -> EXT4 cascade, the eviction burst, goroutine dumps, Java crash logs,
 * and renderers into each on-disk format. Used by `corpus/make.ts` only.
 */
import { fromZonedTime } from 'date-fns-tz';
import { makeWriter, monoStamp, appStamp, ZoneClock, logrusUtc, logrusLocal, type LogRecord, type WriterOptions } from '../tools/loggen/formats.js';
import { NoiseGen, klogLine, PROG, UNIT, type HostProfile, type NoiseWeights, DEFAULT_WEIGHTS } from '../tools/loggen/noise.js';
import type { Rng } from '../tools/loggen/rng.js';

/** A record placed on a host's timeline. Kernel records carry their monotonic time. */
export interface Entry extends LogRecord {
  /** Kernel monotonic µs since boot (kernel lines only). */
  mono?: number;
  /** Sequence number to keep insertion order among equal times. */
  seq?: number;
}

/** UTC µs of a local wall-clock time `YYYY-MM-DD HH:mm:ss[.ffffff]` in `tz`. */
export function lt(tz: string, s: string): number {
  const [base, frac = ''] = s.split('.');
  const ms = fromZonedTime(base as string, tz).getTime();
  return ms * 1000 + Number(frac.padEnd(6, '0').slice(0, 6));
}

/** A host's timeline: records appended in any order, sorted on render. */
export class HostLog {
  readonly entries: Entry[] = [];
  private seq = 0;
  readonly clock: ZoneClock;

  constructor(
    readonly profile: HostProfile,
    readonly rng: Rng,
  ) {
    this.clock = new ZoneClock(profile.tz);
  }

  get host(): string {
    return this.profile.host;
  }

  add(e: Omit<Entry, 'host'>): void {
    this.entries.push({ ...e, host: this.profile.host, seq: this.seq++ });
  }

  /** A kernel line at mono µs after `bootTs`; `stampTs` overrides the syslog stamp (late rsyslog start). */
  kernel(bootTs: number, monoUs: number, msg: string, priority = 6, stampTs?: number): void {
    this.add({ ts: stampTs ?? bootTs + monoUs, program: 'kernel', msg, mono: monoUs, priority });
  }

  /** A kernel line at wall time `ts` in the boot that started at `bootTs`. */
  kernelAt(bootTs: number, ts: number, msg: string, priority = 6): void {
    this.kernel(bootTs, ts - bootTs, msg, priority);
  }

  /** A kubelite klog line. */
  klog(ts: number, sev: 'I' | 'W' | 'E', loc: string, msg: string): void {
    const pid = this.profile.pids.kubelite;
    this.add({ ts, program: PROG.kubelite, pid, msg: klogLine(this.clock, sev, ts, pid, loc, msg), priority: sev === 'E' ? 3 : sev === 'W' ? 4 : 6, unit: UNIT.kubelite });
  }

  /** A containerd line. */
  containerd(ts: number, level: string, rest: string): void {
    this.add({ ts, program: PROG.containerd, pid: this.profile.pids.containerd, msg: `time="${logrusUtc(ts)}" level=${level} ${rest}`, unit: UNIT.containerd });
  }

  /** A k8s-dqlite line. */
  dqlite(ts: number, level: string, rest: string): void {
    this.add({ ts, program: PROG.dqlite, pid: this.profile.pids.dqlite, msg: `time="${logrusLocal(this.clock, ts)}" level=${level} ${rest}`, unit: UNIT.dqlite });
  }

  /** A line from any other program. */
  prog(ts: number, program: string, pid: number | undefined, msg: string, priority = 6): void {
    const e: Omit<Entry, 'host'> = { ts, program, msg, priority };
    if (pid !== undefined) e.pid = pid;
    this.add(e);
  }

  /**
   * Background noise between `from` and `to` (UTC µs), mean gap `meanGapS` seconds, kernel lines
   * stamped in the boot that started at `bootTs`.
   */
  noise(from: number, to: number, meanGapS: number, bootTs: number, weights: NoiseWeights = DEFAULT_WEIGHTS): void {
    const gen = new NoiseGen(this.rng.fork(`noise${from}`), this.profile, weights);
    let ts = from;
    for (;;) {
      ts += Math.max(1, Math.round(-Math.log(1 - this.rng.next()) * meanGapS * 1e6));
      if (ts >= to) break;
      const r = gen.next(ts);
      if (r.program === 'kernel') this.kernelAt(bootTs, ts, r.msg, r.priority ?? 6);
      else this.add(r);
    }
  }

  /** Entries sorted by time (stable). */
  sorted(filter?: (e: Entry) => boolean): Entry[] {
    const out = filter ? this.entries.filter(filter) : this.entries.slice();
    return out.sort((a, b) => a.ts - b.ts || (a.seq ?? 0) - (b.seq ?? 0));
  }
}

/** Render options of {@link render}. */
export interface RenderOptions {
  /** Only entries with from <= ts < to. */
  from?: number;
  to?: number;
  /** Kernel lines only / no kernel lines. */
  kernelOnly?: boolean;
  /** Only these programs. */
  programs?: string[];
  /** Put `[ mono]` in front of kernel messages (Ubuntu imklog in RFC 3164 syslog). */
  kernelMono?: boolean;
  /** dmesg: only the boot that started at this time. */
  bootTs?: number;
}

type RenderFormat = 'rfc3164' | 'rfc3339' | 'rfc5424' | 'kern.log' | 'dmesg' | 'dmesg-T' | 'short-iso' | 'short-precise' | 'journal-json';

/** Renders a host's timeline into one file's text. */
export function render(log: HostLog, format: RenderFormat, ro: RenderOptions = {}, wo: WriterOptions = {}): string {
  const from = ro.from ?? -Infinity;
  const to = ro.to ?? Infinity;
  const entries = log.sorted((e) => {
    if (e.ts < from || e.ts >= to) return false;
    const k = e.program === 'kernel';
    if (ro.kernelOnly && !k) return false;
    if (ro.programs && !ro.programs.includes(e.program)) return false;
    if (ro.bootTs !== undefined && (!k || e.mono === undefined || Math.abs(e.ts - e.mono - ro.bootTs) > 120e6)) return false;
    return true;
  });
  const w = makeWriter(format === 'kern.log' ? 'rfc3164' : format, { tz: log.profile.tz, ...wo });
  const lines: string[] = [];
  for (const e of entries) {
    const k = e.program === 'kernel';
    if (format === 'dmesg') {
      lines.push(`${monoStamp(e.mono ?? 0)} ${e.msg}`);
    } else if (format === 'kern.log') {
      const withMono = wo.mono ?? true;
      lines.push(w({ ...e, program: 'kernel', pid: undefined, msg: withMono ? `${monoStamp(e.mono ?? 0)} ${e.msg}` : e.msg } as LogRecord));
    } else if (k && ro.kernelMono) {
      lines.push(w({ ...e, msg: `${monoStamp(e.mono ?? 0)} ${e.msg}` }));
    } else {
      lines.push(w(e));
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** Kernel boot lines of an Ubuntu 24.04 VM (mono 0 .. ~9 s); syslog stamps them when rsyslog starts. */
export function bootLines(log: HostLog, bootTs: number, opts: { kernel: string; rootUuid: string; memMb: number }): void {
  const rs = bootTs + 11_800_000 + log.rng.int(0, 900_000); // rsyslog reads the ring buffer ~12 s after boot
  const k = (mono: number, msg: string): void => log.kernel(bootTs, mono, msg, 6, rs);
  const rel = opts.kernel;
  const lines: Array<[number, string]> = [
    [0, `Linux version ${rel} (buildd@lcy02-amd64-104) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.3.0-6ubuntu2~24.04) 13.3.0, GNU ld (GNU Binutils for Ubuntu) 2.42) #63-Ubuntu SMP PREEMPT_DYNAMIC Tue Apr 15 19:04:15 UTC 2025 (Ubuntu ${rel.replace('-generic', '')}.63-generic 6.8.12)`],
    [0, `Command line: BOOT_IMAGE=/vmlinuz-${rel} root=/dev/mapper/ubuntu--vg-ubuntu--lv ro`],
    [0, 'KERNEL supported cpus:'],
    [0, '  Intel GenuineIntel'],
    [0, '  AMD AuthenticAMD'],
    [0, 'BIOS-provided physical RAM map:'],
    [0, 'BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable'],
    [0, 'BIOS-e820: [mem 0x0000000000100000-0x00000000bffdafff] usable'],
    [0, 'NX (Execute Disable) protection: active'],
    [0, 'SMBIOS 2.8 present.'],
    [0, 'DMI: QEMU Standard PC (i440FX + PIIX, 1996), BIOS rel-1.16.3-0-ga6ed6b701f0a-prebuilt.qemu.org 04/01/2014'],
    [0, 'Hypervisor detected: KVM'],
    [2, 'kvm-clock: Using msrs 4b564d01 and 4b564d00'],
    [1_030, 'tsc: Detected 2399.998 MHz processor'],
    [40_123, `Memory: ${opts.memMb * 1024 - 412_000}K/${opts.memMb * 1024}K available (22528K kernel code, 4440K rwdata, 14328K rodata, 4920K init, 4772K bss, 412000K reserved, 0K cma-reserved)`],
    [61_877, 'Dynamic Preempt: voluntary'],
    [120_554, 'ACPI: Core revision 20230628'],
    [310_224, 'PCI: Using configuration type 1 for base access'],
    [702_118, 'SCSI subsystem initialized'],
    [911_409, 'NetLabel: Initializing'],
    [1_204_771, 'Freeing initrd memory: 72552K'],
    [1_455_020, 'ata1: PATA max MWDMA2 cmd 0x1f0 ctl 0x3f6 bmdma 0xc040 irq 14 lpm-pol 0'],
    [1_455_301, 'scsi host0: ata_piix'],
    [1_455_800, 'scsi host1: ata_piix'],
    [1_702_554, 'virtio_blk virtio2: 4/0/0 default/read/poll queues'],
    [1_703_110, 'virtio_blk virtio2: [vda] 209715200 512-byte logical blocks (107 GB/100 GiB)'],
    [1_704_000, ' vda: vda1 vda2 vda3'],
    [1_881_205, `e1000e 0000:00:12.0 eth0: (PCI Express:2.5GT/s:Width x1) 52:54:00:3a:1b:${log.rng.hex(2)}`],
    [1_881_290, 'e1000e 0000:00:12.0 eth0: Intel(R) PRO/1000 Network Connection'],
    [3_112_447, 'device-mapper: uevent: version 1.0.3'],
    [3_402_771, `EXT4-fs (dm-0): mounted filesystem ${opts.rootUuid} ro with ordered data mode. Quota mode: none.`],
    [4_877_093, 'systemd[1]: systemd 255.4-1ubuntu8.6 running in system mode (+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT -GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY +P11KIT +QRENCODE +TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified)'],
    [4_881_552, `systemd[1]: Hostname set to <${log.host}>.`],
    [5_640_118, `EXT4-fs (dm-0): re-mounted ${opts.rootUuid} r/w. Quota mode: none.`],
    [6_902_331, 'audit: type=1400 audit(' + Math.floor((bootTs + 6_902_331) / 1e6) + '.884:2): apparmor="STATUS" operation="profile_load" profile="unconfined" name="lsb_release" pid=612 comm="apparmor_parser"'],
    [7_550_002, 'iscsi: registered transport (tcp)'],
    [8_114_093, 'e1000e 0000:00:12.0 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx'],
    [8_114_530, 'IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready'],
    [9_220_874, 'Loading iSCSI transport class v2.0-870.'],
  ];
  for (const [m, msg] of lines) k(m, msg);
}

/** systemd and daemon lines of a host coming up after boot (after rsyslog started). */
export function bootServices(log: HostLog, bootTs: number, iscsi: boolean): void {
  const p = log.profile.pids;
  const t = (s: number): number => bootTs + s * 1e6;
  log.prog(t(12.9), 'systemd', 1, 'Started rsyslog.service - System Logging Service.');
  log.prog(t(13.4), 'systemd', 1, 'Reached target network-online.target - Network is Online.');
  if (iscsi) log.prog(t(13.8), 'iscsid', p.iscsid, `iSCSI daemon with pid=${p.iscsid} started!`);
  log.prog(t(14.2), 'systemd', 1, 'Started snapd.service - Snap Daemon.');
  log.prog(t(16.0), 'systemd', 1, `Started ${UNIT.dqlite} - Service for snap application microk8s.daemon-k8s-dqlite.`);
  log.prog(t(16.1), 'systemd', 1, `Started ${UNIT.containerd} - Service for snap application microk8s.daemon-containerd.`);
  log.prog(t(16.3), 'systemd', 1, `Started ${UNIT.kubelite} - Service for snap application microk8s.daemon-kubelite.`);
  log.dqlite(t(17.2), 'info', 'msg="Starting dqlite" address="' + `10.0.10.${11 + Number(log.host.slice(-1)) - 1}:19001"`);
  log.containerd(t(17.5), 'info', 'msg="starting containerd" revision=06b99ca80cdbfbc6cc8bd567021738c9af2b36ce version=v1.7.27');
  log.klog(t(19.0), 'I', 'server.go:484', '"Kubelet version" kubeletVersion="v1.35.0"');
  log.klog(t(19.1), 'I', 'server.go:486', '"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""');
  log.prog(t(21.0), 'systemd', 1, 'Startup finished in 2.101s (kernel) + 18.810s (userspace) = 20.911s.');
}

/** An iSCSI login and SCSI disk attach (kernel + iscsid lines). */
export function iscsiAttach(log: HostLog, bootTs: number, ts: number, a: { session: number; host: number; dev: string; pvc: string; ip: string; blocks: number }): void {
  const addr = `${a.host}:0:0:0`;
  const k = (dt: number, m: string): void => log.kernelAt(bootTs, ts + dt, m);
  k(0, `scsi host${a.host}: iSCSI Initiator over TCP/IP`);
  k(21_003, `scsi ${addr}: Direct-Access     IET      VIRTUAL-DISK     0001 PQ: 0 ANSI: 4`);
  k(21_880, `sd ${addr}: Attached scsi generic sg${a.host} type 0`);
  k(22_105, `sd ${addr}: Power-on or device reset occurred`);
  k(24_330, `sd ${addr}: [${a.dev}] ${a.blocks} 512-byte logical blocks: (${((a.blocks * 512) / 1e9).toFixed(1)} GB/${((a.blocks * 512) / 2 ** 30).toFixed(1)} GiB)`);
  k(24_560, `sd ${addr}: [${a.dev}] Write Protect is off`);
  k(24_610, `sd ${addr}: [${a.dev}] Mode Sense: 69 00 10 08`);
  k(24_900, `sd ${addr}: [${a.dev}] Write cache: enabled, read cache: enabled, supports DPO and FUA`);
  k(31_442, `sd ${addr}: [${a.dev}] Attached SCSI disk`);
  log.prog(ts + 40_000, 'iscsid', log.profile.pids.iscsid, `Connection${a.session}:0 to [target: iqn.2016-09.com.openebs.jiva:${a.pvc}, portal: ${a.ip},3260] through [iface: default] is operational now`);
  k(912_337, `EXT4-fs (${a.dev}): mounted filesystem ${log.rng.uuid()} r/w with ordered data mode. Quota mode: none.`);
}

/** iscsid's report of a kernel connection error. */
export function iscsidConnError(log: HostLog, ts: number, session: number): void {
  log.prog(ts, 'iscsid', log.profile.pids.iscsid, `Kernel reported iSCSI connection ${session}:0 error (1020 - ISCSI_ERR_TCP_CONN_CLOSE: TCP connection closed) state (3)`, 3);
}

/** Options of {@link cascade}. */
export interface CascadeDevice {
  session: number;
  host: number;
  dev: string;
  ip: string;
  /** When the page cache / journal first hits the dead device (µs). */
  flushTs: number;
}

/**
 * The iSCSI -> SCSI offline -> EXT4 read-only cascade on one host: conn error at `errTs`, session
 * timeout 120 s later, rejected I/O, JBD2 abort and read-only remount per device.
 * `newKernelIoError` prints `I/O error, dev` without `blk_update_request:` (kernels >= 5.18).
 */
export function cascade(log: HostLog, bootTs: number, errTs: number, devs: CascadeDevice[], opts: { newKernelIoError?: boolean; timeoutSecs?: number } = {}): void {
  const rng = log.rng;
  const tmo = opts.timeoutSecs ?? 120;
  const k = (ts: number, m: string, pri = 3): void => log.kernelAt(bootTs, ts, m, pri);
  const ioErr = (dev: string, sector: number, flags: string): string =>
    opts.newKernelIoError
      ? `I/O error, dev ${dev}, sector ${sector} op 0x1:(WRITE) flags ${flags} phys_seg 1 prio class 2`
      : `blk_update_request: I/O error, dev ${dev}, sector ${sector} op 0x1:(WRITE) flags ${flags} phys_seg 1 prio class 0`;
  devs.forEach((d, i) => {
    const t = errTs + 1_200 + i * 377;
    k(t, ` connection${d.session}:0: detected conn error (1020)`);
    iscsidConnError(log, t + 2_100, d.session);
  });
  // iscsid keeps trying to reconnect to a portal that now refuses.
  for (let s = 3; s < tmo + 40; s += rng.int(3, 6)) {
    for (const d of devs) log.prog(errTs + s * 1e6 + rng.int(0, 900_000), 'iscsid', log.profile.pids.iscsid, `connect to ${d.ip}:3260 failed (Connection refused)`, 3);
  }
  const toTs = errTs + tmo * 1e6 + 4_118;
  devs.forEach((d, i) => {
    const t = toTs + i * 1_310;
    const addr = `${d.host}:0:0:0`;
    k(t, ` session${d.session}: session recovery timed out after ${tmo} secs`);
    k(t + 402, `sd ${addr}: rejecting I/O to offline device`);
    k(t + 455, ioErr(d.dev, rng.int(1000, 9_000_000), '0x800'));
    k(t + 470, `Buffer I/O error on dev ${d.dev}, logical block ${rng.int(100_000, 2_500_000)}, lost async page write`);
    const f = d.flushTs;
    k(f, `JBD2: Detected IO errors while flushing file data on ${d.dev}-8`);
    k(f + 190, `sd ${addr}: rejecting I/O to offline device`);
    k(f + 233, ioErr(d.dev, rng.int(1000, 9_000_000), '0x20800'));
    k(f + 260, `Aborting journal on device ${d.dev}-8.`);
    k(f + 612_004, `Buffer I/O error on dev ${d.dev}, logical block 0, lost sync page write`);
    k(f + 612_090, `EXT4-fs (${d.dev}): I/O error while writing superblock`);
    k(f + 613_500, `EXT4-fs error (device ${d.dev}): ext4_journal_check_start:61: Detected aborted journal`);
    k(f + 613_620, `EXT4-fs (${d.dev}): Remounting filesystem read-only`);
  });
}

/** jiva-ctrl pod names for pvc ids (deterministic suffixes). */
export function jivaCtrlPods(rng: Rng, pvcs: string[]): string[] {
  return pvcs.map((p) => `pvc-${p}-jiva-ctrl-${rng.hex(9).replace(/^[0-9]/, '6')}-${rng.alnum(5)}`);
}

/** The KCM reconnect marker followed by a burst of taint evictions at `ts` (one second). */
export function evictionBurst(log: HostLog, reconnectTs: number, ts: number, pods: string[], node: string): void {
  log.klog(reconnectTs - 2_100_000, 'I', 'leaderelection.go:271', '"successfully acquired lease" lock="kube-system/kube-controller-manager"');
  log.klog(reconnectTs - 1_650_000, 'I', 'controllermanager.go:797', '"Started controller" controller="taint-eviction-controller"');
  log.klog(reconnectTs - 1_100_000, 'I', 'taint_eviction.go:282', '"Sending events to api server"');
  log.klog(reconnectTs - 1_050_000, 'I', 'shared_informer.go:313', '"Waiting for caches to sync" controller="taint-eviction-controller"');
  log.klog(reconnectTs - 900_000, 'W', 'topologycache.go:237', `Can't get CPU or zone information for node ${node}`);
  log.klog(reconnectTs, 'I', 'controller.go:667', 'quota admission added evaluator for: daemonsets.apps');
  log.klog(reconnectTs + 310_000, 'I', 'shared_informer.go:320', '"Caches are synced" controller="taint-eviction-controller"');
  pods.forEach((p, i) => {
    log.klog(ts + 12_000 + i * 1_731, 'I', 'taint_eviction.go:111', `"Deleting pod" controller="taint-eviction-controller" pod="openebs/${p}"`);
  });
}

/** The evicted jiva-ctrl containers exiting on the node that ran them (kubelet + containerd). */
export function jivaExit(log: HostLog, bootTs: number, delTs: number, exitTs: number, pods: string[]): void {
  const rng = log.rng;
  log.klog(delTs + 80_000, 'I', 'kubelet.go:2484', `"SyncLoop DELETE" source="api" pods=[${pods.map((p) => `"openebs/${p}"`).join(' ')}]`);
  pods.forEach((p, i) => {
    const id = rng.hex(64);
    const t = delTs + 300_000 + i * 20_000;
    log.klog(t, 'I', 'kuberuntime_container.go:809', `"Killing container with a grace period" pod="openebs/${p}" podUID="${rng.uuid()}" containerName="jiva-controller" containerID="containerd://${id}" gracePeriod=30`);
    log.containerd(t + 1_500, 'info', `msg="StopContainer for \\"${id}\\" with timeout 30 (s)"`);
    log.containerd(t + 1_700, 'info', `msg="Stop container \\"${id}\\" with signal terminated"`);
    const e = exitTs + i * 41_000;
    log.add({ ts: e - 2_000, program: 'systemd', pid: 1, msg: `cri-containerd-${id}.scope: Deactivated successfully.` });
    log.containerd(e, 'info', `msg="shim disconnected" id=${id} namespace=k8s.io`);
    log.containerd(e + 100, 'warning', `msg="cleaning up after shim disconnected" id=${id} namespace=k8s.io`);
    log.containerd(e + 200, 'info', 'msg="cleaning up dead shim" namespace=k8s.io');
    log.containerd(e + 9_000, 'info', `msg="TaskExit event in podsandbox handler container_id:\\"${id}\\" id:\\"${id}\\" pid:${rng.int(3000, 9000)} exit_status:143 exited_at:{seconds:${Math.floor(e / 1e6)} nanos:${(e % 1e6) * 1000}}"`);
    log.containerd(e + 30_000, 'info', `msg="StopContainer for \\"${id}\\" returns successfully"`);
    log.klog(e + 200_000, 'I', 'kubelet.go:2510', `"SyncLoop (PLEG): event for pod" pod="openebs/${p}" event={"ID":"${rng.uuid()}","Type":"ContainerDied","Data":"${id}"}`);
    log.kernelAt(bootTs, e + 50_000, `cni0: port ${rng.int(3, 30)}(veth${rng.hex(8)}) entered disabled state`);
  });
}

/** kine.sock closed-connection errors and a k8s-dqlite restart at `ts`. */
export function kineDisruption(log: HostLog, ts: number, restart: number | null): void {
  const sock = '/var/snap/microk8s/current/var/kubernetes/backend/kine.sock:12379';
  if (restart !== null) {
    log.prog(ts - 600_000, 'systemd', 1, `${UNIT.dqlite}: Main process exited, code=killed, status=9/KILL`, 4);
    log.prog(ts - 590_000, 'systemd', 1, `${UNIT.dqlite}: Failed with result 'signal'.`, 4);
  }
  log.klog(ts, 'E', 'watcher.go:342', `watch chan error: rpc error: code = Unavailable desc = error reading from server: read unix @->${sock}: use of closed network connection`);
  log.klog(ts + 1_240, 'W', 'reflector.go:484', 'k8s.io/client-go/informers/factory.go:160: watch of *v1.Pod ended with: an error on the server ("unable to decode an event from the watch stream: http2: client connection lost") has prevented the request from succeeding');
  log.klog(ts + 310_004, 'E', 'leaderelection.go:429', 'Failed to update lock optimistically: Put "https://127.0.0.1:16443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-controller-manager?timeout=15s": dial unix ' + sock + ': connect: connection refused, falling back to slow path');
  if (restart !== null) {
    log.prog(ts + 1_020_000, 'systemd', 1, `${UNIT.dqlite}: Scheduled restart job, restart counter is at ${restart}.`);
    log.prog(ts + 1_030_000, 'systemd', 1, `Started ${UNIT.dqlite} - Service for snap application microk8s.daemon-k8s-dqlite.`);
    log.dqlite(ts + 1_900_000, 'info', 'msg="Starting dqlite" address="10.0.10.12:19001"');
    log.dqlite(ts + 2_400_000, 'info', `msg="Kine listening on unix://${sock}"`);
  }
}

/** One goroutine of a dump. */
interface G {
  state: string;
  frames: Array<[string, string]>;
  createdBy?: [string, string, number];
}

const KSRC = '/build/kubernetes/_output/local/go/src/k8s.io/kubernetes';
const CG = '/build/kubernetes/staging/src/k8s.io/client-go';
const AM = '/build/kubernetes/staging/src/k8s.io/apimachinery';
const GOROOT = '/usr/local/go/src';

/**
 * A pprof (debug=2) style goroutine dump of kubelite. `listenerMin`: wait of the processorListener
 * goroutines (0 prints no duration); `stuckMounts`: number of goroutines in WaitForAttachAndMount;
 * `uptimeMin`: wait of long-lived goroutines.
 */
export function goroutineDump(rng: Rng, o: { listeners: number; listenerMin: number; stuckMounts: number; mountMin: number; uptimeMin: number; extra: number }): string[] {
  const a = (): string => `0xc${rng.hex(9)}`;
  const off = (): string => `+0x${rng.int(0x10, 0x3ff).toString(16)}`;
  const wait = (s: string, m: number): string => (m > 0 ? `${s}, ${m} minutes` : s);
  const gs: G[] = [];
  gs.push({
    state: 'running',
    frames: [
      ['runtime/pprof.writeGoroutineStacks({0x4a3f2e0, 0xc0019a21c0})', `${GOROOT}/runtime/pprof/pprof.go:764 +0x6a`],
      ['runtime/pprof.writeGoroutine({0x4a3f2e0?, 0xc0019a21c0?}, 0x2?)', `${GOROOT}/runtime/pprof/pprof.go:753 +0x25`],
      ['net/http/pprof.handler.ServeHTTP({0xc002b1e0a1, 0x9}, {0x4a6c0f8, 0xc0019a21c0}, 0xc001f9e780)', `${GOROOT}/net/http/pprof/pprof.go:272 +0x4b3`],
      ['net/http.(*conn).serve(0xc00234a000, {0x4a71d40, 0xc000e0c9f0})', `${GOROOT}/net/http/server.go:2102 +0x625`],
    ],
    createdBy: ['net/http.(*Server).Serve', `${GOROOT}/net/http/server.go:3454 +0x485`, 412],
  });
  gs.push({
    state: wait('select', o.uptimeMin),
    frames: [
      [`${'k8s.io/kubernetes/pkg/kubelet'}.(*Kubelet).syncLoop(${a()}, {0x4a71d40, ${a()}}, {0x4a50e40, ${a()}})`, `${KSRC}/pkg/kubelet/kubelet.go:2412 +0x1b9`],
      [`k8s.io/kubernetes/pkg/kubelet.(*Kubelet).Run(${a()}, ${a()})`, `${KSRC}/pkg/kubelet/kubelet.go:1785 +0x6e5`],
    ],
    createdBy: ['k8s.io/kubernetes/cmd/kubelet/app.startKubelet', `${KSRC}/cmd/kubelet/app/server.go:1257 +0xb3`, 1],
  });
  for (let i = 0; i < o.listeners; i++) {
    const id = a();
    gs.push({
      state: wait('select', o.listenerMin),
      frames: [
        [`k8s.io/client-go/tools/cache.(*processorListener).pop(${id})`, `${CG}/tools/cache/shared_informer.go:1147 +0x11a`],
        ['k8s.io/apimachinery/pkg/util/wait.(*Group).Start.func1()', `${AM}/pkg/util/wait/wait.go:72 +0x4c`],
      ],
      createdBy: ['k8s.io/apimachinery/pkg/util/wait.(*Group).Start', `${AM}/pkg/util/wait/wait.go:70 +0x73`, 300 + i],
    });
    gs.push({
      state: wait('chan receive', o.listenerMin),
      frames: [
        [`k8s.io/client-go/tools/cache.(*processorListener).run.func1()`, `${CG}/tools/cache/shared_informer.go:1176 +0x4a`],
        [`k8s.io/apimachinery/pkg/util/wait.BackoffUntil.func1(0x30?)`, `${AM}/pkg/util/wait/backoff.go:226 +0x33`],
        [`k8s.io/apimachinery/pkg/util/wait.BackoffUntil(${a()}, {0x4a1f6a0, ${a()}}, 0x1, ${a()})`, `${AM}/pkg/util/wait/backoff.go:227 +0xaf`],
        [`k8s.io/apimachinery/pkg/util/wait.JitterUntil(${a()}, 0x3b9aca00, 0x0, 0x1, ${a()})`, `${AM}/pkg/util/wait/backoff.go:204 +0x7f`],
        ['k8s.io/apimachinery/pkg/util/wait.Until(...)', `${AM}/pkg/util/wait/backoff.go:161`],
        [`k8s.io/client-go/tools/cache.(*processorListener).run(${id})`, `${CG}/tools/cache/shared_informer.go:1172 +0x5a`],
        ['k8s.io/apimachinery/pkg/util/wait.(*Group).Start.func1()', `${AM}/pkg/util/wait/wait.go:72 +0x4c`],
      ],
      createdBy: ['k8s.io/apimachinery/pkg/util/wait.(*Group).Start', `${AM}/pkg/util/wait/wait.go:70 +0x73`, 300 + i],
    });
  }
  for (let i = 0; i < o.stuckMounts; i++) {
    gs.push({
      state: wait('semacquire', o.mountMin),
      frames: [
        [`sync.runtime_SemacquireMutex(${a()}, 0x0, 0x1)`, `${GOROOT}/runtime/sema.go:95 +0x25`],
        [`sync.(*Mutex).lockSlow(${a()})`, `${GOROOT}/sync/mutex.go:173 +0x15d`],
        ['sync.(*Mutex).Lock(...)', `${GOROOT}/sync/mutex.go:92`],
        [`k8s.io/kubernetes/pkg/volume/util/operationexecutor.(*volumeToMount).WaitForAttachAndMount(${a()}, {0x4a71d40, ${a()}}, ${a()})`, `${KSRC}/pkg/volume/util/operationexecutor/operation_executor.go:489 +0x1a5`],
        [`k8s.io/kubernetes/pkg/kubelet/volumemanager.(*volumeManager).WaitForAttachAndMount(${a()}, {0x4a71d40, ${a()}}, ${a()})`, `${KSRC}/pkg/kubelet/volumemanager/volume_manager.go:419 +0x2b6`],
        [`k8s.io/kubernetes/pkg/kubelet.(*Kubelet).SyncPod(${a()}, {0x4a71d40, ${a()}}, 0x0, ${a()}, 0x0, ${a()})`, `${KSRC}/pkg/kubelet/kubelet.go:1992 +0x1a9c`],
        [`k8s.io/kubernetes/pkg/kubelet.(*podWorkers).podWorkerLoop.func2(...)`, `${KSRC}/pkg/kubelet/pod_workers.go:1286`],
        [`k8s.io/kubernetes/pkg/kubelet.(*podWorkers).podWorkerLoop(${a()}, {0xc00${rng.hex(7)}, 0x24}, ${a()})`, `${KSRC}/pkg/kubelet/pod_workers.go:1291 +0x50e`],
      ],
      createdBy: ['k8s.io/kubernetes/pkg/kubelet.(*podWorkers).UpdatePod', `${KSRC}/pkg/kubelet/pod_workers.go:949 +0x10f2`, 511],
    });
  }
  const extras: Array<() => G> = [
    () => ({
      state: wait('select', rng.pick([0, 1, 2, o.listenerMin])),
      frames: [
        [`k8s.io/client-go/tools/cache.handleAnyWatch({0x4a71d40, ${a()}}, {0x1?, 0x0?, 0x0?}, {0x4a7a0a0, ${a()}}, {0x4a2b980, ${a()}}, {0x0, 0x0}, {${a()}, 0x33}, ...)`, `${CG}/tools/cache/reflector.go:822 +0x1c5`],
        [`k8s.io/client-go/tools/cache.(*Reflector).watch(${a()}, {0x0, 0x0}, ${a()}, ${a()})`, `${CG}/tools/cache/reflector.go:470 +0x3ce`],
        [`k8s.io/client-go/tools/cache.(*Reflector).ListAndWatchWithContext(${a()}, {0x4a71d40, ${a()}})`, `${CG}/tools/cache/reflector.go:414 +0x5c5`],
      ],
      createdBy: ['k8s.io/apimachinery/pkg/util/wait.(*Group).Start', `${AM}/pkg/util/wait/wait.go:70 +0x73`, rng.int(200, 600)],
    }),
    () => ({
      state: wait('IO wait', rng.chance(0.5) ? o.uptimeMin : 0),
      frames: [
        [`internal/poll.runtime_pollWait(0x7f${rng.hex(10)}, 0x72)`, `${GOROOT}/runtime/netpoll.go:351 +0x85`],
        [`internal/poll.(*pollDesc).wait(${a()}?, ${a()}?, 0x0)`, `${GOROOT}/internal/poll/fd_poll_runtime.go:84 +0x27`],
        ['internal/poll.(*pollDesc).waitRead(...)', `${GOROOT}/internal/poll/fd_poll_runtime.go:89`],
        [`internal/poll.(*FD).Read(${a()}, {${a()}, 0x9000, 0x9000})`, `${GOROOT}/internal/poll/fd_unix.go:165 +0x27a`],
        [`net.(*netFD).Read(${a()}, {${a()}?, 0x1060100000000?, 0x8?})`, `${GOROOT}/net/fd_posix.go:55 +0x25`],
        [`net.(*conn).Read(${a()}, {${a()}?, ${a()}?, ${a()}?})`, `${GOROOT}/net/net.go:194 +0x45`],
        [`crypto/tls.(*atLeastReader).Read(${a()}, {${a()}?, 0x0?, ${a()}?})`, `${GOROOT}/crypto/tls/conn.go:809 +0x3b`],
        [`golang.org/x/net/http2.(*serverConn).readFrames(${a()})`, '/build/kubernetes/vendor/golang.org/x/net/http2/server.go:822 +0xd5'],
      ],
      createdBy: ['golang.org/x/net/http2.(*serverConn).serve', '/build/kubernetes/vendor/golang.org/x/net/http2/server.go:929 +0x1c5', rng.int(1000, 9000)],
    }),
    () => ({
      state: wait('select', rng.int(0, 3)),
      frames: [
        [`golang.org/x/net/http2.(*serverConn).serve(${a()}, {0x4a71d40, ${a()}})`, '/build/kubernetes/vendor/golang.org/x/net/http2/server.go:1017 +0x7dd'],
        [`golang.org/x/net/http2.(*Server).serveConn(${a()}, {0x4a89f38, ${a()}}, ${a()}, ${a()})`, '/build/kubernetes/vendor/golang.org/x/net/http2/server.go:597 +0x10ea'],
        [`net/http.(*conn).serve(${a()}, {0x4a71d40, ${a()}})`, `${GOROOT}/net/http/server.go:2102 +0x625`],
      ],
      createdBy: ['net/http.(*Server).Serve', `${GOROOT}/net/http/server.go:3454 +0x485`, rng.int(300, 500)],
    }),
    () => ({
      state: wait('select', rng.chance(0.3) ? o.uptimeMin : rng.int(0, 9)),
      frames: [
        [`k8s.io/apimachinery/pkg/util/wait.BackoffUntil(${a()}, {0x4a1f6a0, ${a()}}, 0x1, ${a()})`, `${AM}/pkg/util/wait/backoff.go:238 +0x105`],
        [`k8s.io/apimachinery/pkg/util/wait.JitterUntil(${a()}, 0x${rng.pick(['3b9aca00', '2540be400', 'df8475800'])}, 0x0, 0x1, ${a()})`, `${AM}/pkg/util/wait/backoff.go:204 +0x7f`],
        ['k8s.io/apimachinery/pkg/util/wait.Until(...)', `${AM}/pkg/util/wait/backoff.go:161`],
        [`k8s.io/kubernetes/pkg/kubelet/${rng.pick(['status.(*manager).Start', 'cm.(*containerManagerImpl).Start.func1', 'nodeshutdown.(*managerImpl).start', 'pleg.(*GenericPLEG).Start'])}()`, `${KSRC}/pkg/kubelet/kubelet.go:${rng.int(1500, 1800)} ${off()}`],
      ],
      createdBy: ['k8s.io/kubernetes/pkg/kubelet.(*Kubelet).Run', `${KSRC}/pkg/kubelet/kubelet.go:1741 +0x3a5`, 1],
    }),
    () => ({
      state: wait('chan receive', o.uptimeMin),
      frames: [
        [`k8s.io/kubernetes/pkg/kubelet/volumemanager/reconciler.(*reconciler).runOld(${a()}, ${a()})`, `${KSRC}/pkg/kubelet/volumemanager/reconciler/reconciler.go:${rng.int(40, 60)} ${off()}`],
        [`k8s.io/apimachinery/pkg/util/wait.Until(...)`, `${AM}/pkg/util/wait/backoff.go:161`],
      ],
      createdBy: ['k8s.io/kubernetes/pkg/kubelet/volumemanager.(*volumeManager).Run', `${KSRC}/pkg/kubelet/volumemanager/volume_manager.go:302 +0x1e5`, 1],
    }),
    () => ({
      state: wait('sleep', 0),
      frames: [
        [`time.Sleep(0x${rng.pick(['3b9aca00', '77359400', '12a05f200'])})`, `${GOROOT}/runtime/time.go:338 +0x165`],
        [`k8s.io/kubernetes/pkg/kubelet/${rng.pick(['prober.(*worker).run', 'eviction.(*managerImpl).Start.func1', 'cm.(*qosContainerManagerImpl).Start.func1'])}(${a()})`, `${KSRC}/pkg/kubelet/prober/worker.go:${rng.int(150, 260)} ${off()}`],
      ],
      createdBy: ['k8s.io/kubernetes/pkg/kubelet/prober.(*manager).AddPod', `${KSRC}/pkg/kubelet/prober/prober_manager.go:${rng.int(190, 260)} +0x5c5`, rng.int(500, 900)],
    }),
    () => ({
      state: wait('select', rng.int(0, 2)),
      frames: [
        [`google.golang.org/grpc/internal/transport.(*controlBuffer).get(${a()}, 0x1)`, '/build/kubernetes/vendor/google.golang.org/grpc/internal/transport/controlbuf.go:418 +0x115'],
        [`google.golang.org/grpc/internal/transport.(*loopyWriter).run(${a()})`, '/build/kubernetes/vendor/google.golang.org/grpc/internal/transport/controlbuf.go:552 +0x78'],
        [`google.golang.org/grpc/internal/transport.newHTTP2Client.func6()`, '/build/kubernetes/vendor/google.golang.org/grpc/internal/transport/http2_client.go:467 +0xba'],
      ],
      createdBy: ['google.golang.org/grpc/internal/transport.newHTTP2Client', '/build/kubernetes/vendor/google.golang.org/grpc/internal/transport/http2_client.go:465 +0x2491', rng.int(100, 300)],
    }),
    () => ({
      state: wait('syscall', o.uptimeMin),
      frames: [
        ['os/signal.signal_recv()', `${GOROOT}/runtime/sigqueue.go:152 +0x29`],
        ['os/signal.loop()', `${GOROOT}/os/signal/signal_unix.go:23 +0x13`],
      ],
      createdBy: ['os/signal.Notify.func1.1', `${GOROOT}/os/signal/signal.go:151 +0x1f`, 1],
    }),
  ];
  for (let i = 0; i < o.extra; i++) gs.push(rng.pick(extras)());
  // Go prints goroutines in creation order (ids ascend); the dumper's own goroutine first.
  const ids = gs.map(() => rng.int(2, 99_999)).sort((x, y) => x - y);
  const out: string[] = [];
  gs.forEach((g, i) => {
    out.push(`goroutine ${i === 0 ? rng.int(100_000, 140_000) : ids[i]} [${g.state}]:`);
    for (const [fn, loc] of g.frames) {
      out.push(fn);
      out.push(`\t${loc}`);
    }
    if (g.createdBy) {
      out.push(`created by ${g.createdBy[0]} in goroutine ${g.createdBy[2]}`);
      out.push(`\t${g.createdBy[1]}`);
    }
    out.push('');
  });
  return out;
}

/** One start-and-crash of the dependency-track API server (logback lines, Java stack traces). */
export function dtrackCrash(clock: ZoneClock, start: number, host: string, rng: Rng, restart: number): string[] {
  const out: string[] = [];
  let t = start;
  const line = (level: string, thread: string, msg: string, dt: number): void => {
    t += dt;
    out.push(`${appStamp(clock, t)} ${level.padEnd(5)} [${thread}] ${msg}`);
  };
  line('INFO', 'Main', 'Dependency-Track is starting', 0);
  line('INFO', 'Main', `Java Runtime: Eclipse Adoptium 21.0.7+6 (restart ${restart})`, 2_100);
  line('INFO', 'Main', 'Max heap size: 3.8 GB, CPU cores: 4', 600);
  line('INFO', 'RequirementsVerifier', 'Initializing requirements verifier', 480_000);
  line('INFO', 'UpgradeInitializer', 'Initializing upgrade framework', 1_200_000 + rng.int(0, 300_000));
  line('ERROR', 'UpgradeInitializer', 'An error occurred determining database schema version', 2_400_000 + rng.int(0, 600_000));
  const host1 = 'dtrack-postgresql.ci';
  out.push(`org.postgresql.util.PSQLException: The connection attempt failed.`);
  for (const f of [
    'org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:364)',
    'org.postgresql.core.ConnectionFactory.openConnection(ConnectionFactory.java:54)',
    'org.postgresql.jdbc.PgConnection.<init>(PgConnection.java:273)',
    'org.postgresql.Driver.makeConnection(Driver.java:446)',
    'org.postgresql.Driver.connect(Driver.java:298)',
    'java.sql/java.sql.DriverManager.getConnection(Unknown Source)',
    'alpine.server.upgrade.UpgradeMetaProcessor.createConnection(UpgradeMetaProcessor.java:193)',
    'alpine.server.upgrade.UpgradeMetaProcessor.<init>(UpgradeMetaProcessor.java:57)',
    'alpine.server.upgrade.UpgradeExecutor.executeUpgrades(UpgradeExecutor.java:61)',
    'org.dependencytrack.upgrade.UpgradeInitializer.contextInitialized(UpgradeInitializer.java:77)',
    'org.eclipse.jetty.server.handler.ContextHandler.callContextInitialized(ContextHandler.java:1067)',
  ])
    out.push(`\tat ${f}`);
  out.push('\t... 31 common frames omitted');
  out.push(`Caused by: java.net.UnknownHostException: ${host1}`);
  for (const f of [
    'java.base/sun.nio.ch.NioSocketImpl.connect(Unknown Source)',
    'java.base/java.net.SocksSocketImpl.connect(Unknown Source)',
    'java.base/java.net.Socket.connect(Unknown Source)',
    'org.postgresql.core.PGStream.createSocket(PGStream.java:243)',
    'org.postgresql.core.PGStream.<init>(PGStream.java:98)',
    'org.postgresql.core.v3.ConnectionFactoryImpl.tryConnect(ConnectionFactoryImpl.java:132)',
    'org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:258)',
  ])
    out.push(`\tat ${f}`);
  out.push('\t... 42 common frames omitted');
  line('ERROR', 'UpgradeInitializer', 'Unable to initialize the upgrade framework; shutting down', 30_000);
  out.push(`java.lang.IllegalStateException: java.net.UnknownHostException: ${host1}`);
  out.push('\tat alpine.server.upgrade.UpgradeExecutor.executeUpgrades(UpgradeExecutor.java:72)');
  out.push('\tat org.dependencytrack.upgrade.UpgradeInitializer.contextInitialized(UpgradeInitializer.java:77)');
  out.push('Caused by: org.postgresql.util.PSQLException: The connection attempt failed.');
  out.push('\tat alpine.server.upgrade.UpgradeMetaProcessor.createConnection(UpgradeMetaProcessor.java:193)');
  out.push('\t... 3 common frames omitted');
  out.push(`Caused by: java.net.UnknownHostException: ${host1}`);
  out.push('\tat java.base/sun.nio.ch.NioSocketImpl.connect(Unknown Source)');
  out.push('\t... 9 common frames omitted');
  line('INFO', 'Thread-0', `Dependency-Track on ${host} is shutting down`, 60_000);
  return out;
}

/** Serialises expected.json with a stable key order. */
export function expectedJson(o: unknown): string {
  return `${JSON.stringify(o, null, 2)}\n`;
}
