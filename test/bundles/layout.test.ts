import { describe, expect, it } from 'vitest';
import { memberLayout, sosreportHost } from '../../src/bundles/layout.js';

describe('bundle layouts', () => {
  const mk = 'inspection-report-20260528_213000.tar.gz';
  it('microk8s inspect: journals and dmesg are read, arguments/sys/network/systemctl are not', () => {
    expect(memberLayout(mk, 'inspection-report/snap.microk8s.daemon-kubelite/journal.log')).toEqual({ bundle: 'microk8s-inspect' });
    expect(memberLayout(mk, 'inspection-report/apparmor/dmesg').ignore).toBeUndefined();
    expect(memberLayout(mk, 'inspection-report/k8s/cluster-info-dump').ignore).toBeUndefined();
    for (const p of ['args/kubelet', 'sys/ps', 'network/iptables', 'apparmor/aa-status', 'k8s/get-all', 'snap.microk8s.daemon-kubelite/systemctl.log']) {
      expect(memberLayout(mk, `inspection-report/${p}`).ignore, p).toMatch(/^microk8s inspect: /);
    }
  });

  it('sosreport: host from the name or the hostname member; only logs are read', () => {
    expect(sosreportHost('sosreport-k8s01-2026-05-28-abcdef')).toBe('k8s01');
    expect(sosreportHost('sosreport-k8s-worker-3-01234567-2026-05-28-x1y2z3')).toBe('k8s-worker-3');
    const base = 'sosreport-k8s01-2026-05-28-abcdef';
    expect(memberLayout(`${base}.tar.gz`, `${base}/var/log/syslog`)).toEqual({ bundle: 'sosreport', host: 'k8s01' });
    expect(memberLayout(`${base}.tar.gz`, `${base}/sos_commands/kernel/dmesg`).ignore).toBeUndefined();
    expect(memberLayout(`${base}.tar.gz`, `${base}/sos_commands/logs/journalctl_--no-pager`).ignore).toBeUndefined();
    expect(memberLayout(`${base}.tar.gz`, `${base}/hostname`).hostnameFile).toBe(true);
    expect(memberLayout(`${base}.tar.gz`, `${base}/etc/fstab`).ignore).toBe('sosreport: not a log');
  });

  it('any other archive is plain: every member is read', () => {
    expect(memberLayout('logs.tgz', 'k8s01/syslog')).toEqual({ bundle: 'plain' });
  });
});
