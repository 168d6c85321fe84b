import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runIncident } from './harness.js';

const corpus = resolve(import.meta.dirname, '../../corpus');

describe('support-bundle corpus incidents (archives and dumps expanded by expandInputs)', () => {
  it('outage bundles: every expected finding, with members named archive!/inner', async () => {
    const r = await runIncident(resolve(corpus, 'bundle-pvek8s-2026-05-28-outage'));
    expect(r.differences).toEqual([]);
    const paths = r.inputs.map((i) => i.path);
    expect(paths).toContain('k8s03/inspection-report-20260528_213011.tar.gz!/inspection-report/snap.microk8s.daemon-kubelite/journal.log');
    expect(paths.some((p) => p.endsWith('(cross-object state).json'))).toBe(true);
    // Pod logs of the dump belong to the pod's node.
    expect(r.inputs.find((i) => i.path.endsWith('dependency-track-api-server-0/logs.txt'))?.host).toBe('k8s03');
    // Layout knowledge: arguments, network and sys members are not read.
    expect(paths.some((p) => p.includes('/args/') || p.includes('/network/'))).toBe(false);
  }, 60_000);

  it('healthy bundles stay silent; the truncated tarball is a warning with its first member read', async () => {
    const dir = resolve(corpus, 'bundle-healthy-cluster-state');
    expect(existsSync(dir)).toBe(true);
    const r = await runIncident(dir);
    expect(r.differences).toEqual([]);
    expect(r.findings.map((f) => f.rule)).not.toContain('rs-stale-terminating-replicas');
    expect(r.warnings.some(([rel, m]) => rel.startsWith('k8s02/') && /truncated/.test(m))).toBe(true);
  }, 60_000);
});
