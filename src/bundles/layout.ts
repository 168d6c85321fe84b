/**
 * Where a member of a support bundle comes from and whether it is a log: the layouts of
 * `microk8s inspect` (scripts/inspect.sh: `inspection-report/<service>/journal.log`, `apparmor/dmesg`,
 * `k8s/cluster-info-dump`, `args/`, `sys/`, `network/`) and sosreport (`sosreport-<host>-.../var/log/`,
 * `sos_commands/kernel/dmesg`, `sos_commands/logs/journalctl_*`, `hostname`).
 */
export type BundleKind = 'microk8s-inspect' | 'sosreport' | 'plain';

/** What the layout says about one member. */
export interface MemberLayout {
  bundle: BundleKind;
  /** Host implied by the layout (a sosreport's name); undefined when only the lines can tell. */
  host?: string;
  /** Set when the member is known not to be a log (not read, counted). */
  ignore?: string;
  /** The member names the host (sosreport `hostname`): read its first line. */
  hostnameFile?: boolean;
}

/** Host part of a sosreport name (`sosreport-k8s01-0042-2026-05-28-abcdef`, `sosreport-k8s01.lan-2026-05-28-x`). */
export function sosreportHost(name: string): string | undefined {
  const m = /^sosreport-(.+?)(?:-[0-9]+)?-\d{4}-\d{2}-\d{2}-[a-z0-9]+(?:$|[/.])/.exec(name);
  if (m) return m[1];
  const short = /^sosreport-([A-Za-z0-9][A-Za-z0-9.-]*?)(?:-\d+)?(?:$|\/|\.tar)/.exec(name);
  return short?.[1];
}

const MICROK8S_NOT_LOGS: Array<[RegExp, string]> = [
  [/^args\//, 'microk8s inspect: service arguments'],
  [/^network\//, 'microk8s inspect: network configuration'],
  [/^sys\//, 'microk8s inspect: system information'],
  [/^apparmor\/(?!dmesg(?:\.gz)?$)/, 'microk8s inspect: AppArmor configuration'],
  [/^k8s\/(?!cluster-info-dump$)/, 'microk8s inspect: kubectl table output'],
  [/^juju\/status$|^kubeflow\//, 'microk8s inspect: add-on status'],
  [/\/systemctl\.log$/, 'microk8s inspect: systemctl status (its log lines are in journal.log)'],
  [/^dqlite\/(?!.*\.log$)/, 'microk8s inspect: dqlite state'],
];

/** The layout of a member path inside an archive. */
export function memberLayout(archiveName: string, inner: string): MemberLayout {
  const parts = inner.replace(/^\.\//, '').split('/');
  const top = parts[0] ?? '';
  if (top === 'inspection-report' || /^inspection-report-\d{8}_\d{6}/.test(archiveName)) {
    const rest = top === 'inspection-report' ? parts.slice(1).join('/') : parts.join('/');
    for (const [re, why] of MICROK8S_NOT_LOGS) if (re.test(rest)) return { bundle: 'microk8s-inspect', ignore: why };
    return { bundle: 'microk8s-inspect' };
  }
  if (top.startsWith('sosreport-') || archiveName.startsWith('sosreport-')) {
    const host = sosreportHost(top.startsWith('sosreport-') ? top : archiveName);
    const rest = top.startsWith('sosreport-') ? parts.slice(1).join('/') : parts.join('/');
    if (rest === 'hostname' || rest === 'sos_commands/host/hostname') return { bundle: 'sosreport', host, hostnameFile: true, ignore: 'sosreport: host name' };
    const log =
      rest.startsWith('var/log/') ||
      rest === 'sos_commands/kernel/dmesg' ||
      rest.startsWith('sos_commands/logs/journalctl_') ||
      rest.startsWith('sos_commands/kubernetes/') ||
      rest.startsWith('sos_commands/microk8s/');
    return log ? { bundle: 'sosreport', host } : { bundle: 'sosreport', host, ignore: 'sosreport: not a log' };
  }
  return { bundle: 'plain' };
}
