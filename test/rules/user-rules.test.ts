import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, makeTree } from '../helpers.js';

// A rule as a user would write it from docs/rules.md, in a folder outside the repo.
const USER_RULE = `
macros:
  fromKubelet: 'program == "microk8s.daemon-kubelite"'
lists:
  storageNamespaces: [openebs, longhorn-system]
rules:
  - id: sig.probe-failed
    kind: signature
    event: team.probe_failed
    match:
      regex: '"Probe failed" probeType="(?<probe>\\w+)" pod="(?<ns>[\\w-]+)/(?<pod>[^"]+)"'
    where: '$fromKubelet and ns in lists.storageNamespaces'
    examples:
      fire:
        - line: 'May 28 20:21:04 k8s01 microk8s.daemon-kubelite[2345]: I0528 20:21:04.000001 2345 prober.go:107] "Probe failed" probeType="Readiness" pod="openebs/jiva-ctrl-1"'
          captures: { probe: Readiness, ns: openebs }
      silent:
        - 'May 28 20:21:04 k8s01 containerd[812]: "Probe failed" probeType="Readiness" pod="openebs/jiva-ctrl-1"'

  - id: team-storage-probe-flood
    kind: single
    severity: medium
    title: 'Storage pods on {host} failed {n} probes in 5 minutes'
    explanation: 'Storage controller pods on {host} kept failing probes: {pods}.'
    remediation: ['Look at the storage controller pods on {host}.']
    group: [host]
    entities: { n: 'count(p)', pods: 'collect(p.pod)' }
    step: { name: p, event: team.probe_failed, count: { min: 3, window: 5m } }
    examples:
      fire:
        - lines:
            - 'May 28 20:21:04 k8s01 microk8s.daemon-kubelite[2345]: I0528 20:21:04.000001 2345 prober.go:107] "Probe failed" probeType="Readiness" pod="openebs/jiva-ctrl-1"'
            - 'May 28 20:22:04 k8s01 microk8s.daemon-kubelite[2345]: I0528 20:22:04.000001 2345 prober.go:107] "Probe failed" probeType="Readiness" pod="openebs/jiva-ctrl-2"'
            - 'May 28 20:23:04 k8s01 microk8s.daemon-kubelite[2345]: I0528 20:23:04.000001 2345 prober.go:107] "Probe failed" probeType="Liveness" pod="openebs/jiva-ctrl-1"'
          entities: { n: 3 }
      silent:
        - lines:
            - 'May 28 20:21:04 k8s01 microk8s.daemon-kubelite[2345]: I0528 20:21:04.000001 2345 prober.go:107] "Probe failed" probeType="Readiness" pod="media/radarr-0"'
            - 'May 28 20:22:04 k8s01 microk8s.daemon-kubelite[2345]: I0528 20:22:04.000001 2345 prober.go:107] "Probe failed" probeType="Readiness" pod="media/radarr-0"'
            - 'May 28 20:23:04 k8s01 microk8s.daemon-kubelite[2345]: I0528 20:23:04.000001 2345 prober.go:107] "Probe failed" probeType="Readiness" pod="media/radarr-0"'
`;

describe('rules written by a user outside the repo', () => {
  it('check, test and fire with --rules (macros, lists, signature + single rule)', () => {
    const dir = makeTree({ 'my-rules/storage.yaml': USER_RULE });
    const rulesDir = join(dir, 'my-rules');
    const check = cli(['rules', 'check', rulesDir]);
    expect(check.stdout).toMatch(/2 rule\(s\) checked: 0 error\(s\)/);
    expect(check.code).toBe(0);
    const test = cli(['rules', 'test', '--no-builtin-rules', '--rules', rulesDir]);
    expect(test.stdout).toMatch(/^\d+ passed, 0 failed$/m);
    const logs = makeTree({
      'k8s01/syslog': [
        'May 28 20:21:04 k8s01 microk8s.daemon-kubelite[2345]: I0528 20:21:04.000001 2345 prober.go:107] "Probe failed" probeType="Readiness" pod="openebs/jiva-ctrl-1"',
        'May 28 20:21:30 k8s01 microk8s.daemon-kubelite[2345]: I0528 20:21:30.000001 2345 prober.go:107] "Probe failed" probeType="Readiness" pod="media/radarr-0"',
        'May 28 20:22:04 k8s01 microk8s.daemon-kubelite[2345]: I0528 20:22:04.000001 2345 prober.go:107] "Probe failed" probeType="Readiness" pod="openebs/jiva-ctrl-2"',
        'May 28 20:23:04 k8s01 microk8s.daemon-kubelite[2345]: I0528 20:23:04.000001 2345 prober.go:107] "Probe failed" probeType="Liveness" pod="longhorn-system/im-1"',
        '',
      ].join('\n'),
    });
    const r = cli(['analyze', logs, '--rules', rulesDir, '--json', '--year', '2026']);
    expect(r.code).toBe(0);
    const f = JSON.parse(r.stdout).findings.filter((x: { rule: string }) => x.rule === 'team-storage-probe-flood');
    expect(f).toHaveLength(1);
    expect(f[0].entities).toEqual({ n: 3, pods: ['jiva-ctrl-1', 'jiva-ctrl-2', 'im-1'] });
  });

  it('a broken user rule is reported with file, rule id, JSON path, column and a sentence', () => {
    const dir = makeTree({});
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      `rules:
  - id: bad-one
    kind: chain
    severity: high
    title: t
    explanation: e
    steps:
      - { name: a, event: node.boot, where: 'kernel == "x" and $nope' }
      - { name: b, event: node.boot, after: { step: a, withn: 5m } }
  - id: bad-two
    kind: signature
    event: x.y
    match: { regex: '(a+)+$' }
`,
    );
    const r = cli(['rules', 'check', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${file}: rule bad-one: /rules/0/steps/1/after: error: unknown field "withn"`);
    const r2 = cli(['analyze', dir, '--rules', file]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/bad-one/);
  });

  it('where errors carry the column; unknown macros are named', () => {
    const dir = makeTree({
      'r.yaml': `rules:
  - id: r
    kind: single
    severity: low
    title: t
    explanation: e
    step: { name: s, event: node.boot, where: 'kernel startsWith "6." and $nope' }
    examples: { fire: [{ lines: ['x'] }], silent: [{ lines: ['y'] }] }
  - id: w
    kind: single
    severity: low
    title: t
    explanation: e
    step: { name: s, event: node.boot, where: 'kernl == "6"' }
`,
    });
    const r = cli(['rules', 'check', join(dir, 'r.yaml')]);
    expect(r.stdout).toMatch(/rule r: \/rules\/0\/step\/where: error: unknown macro \$nope/);
    expect(r.stdout).toMatch(/rule w: \/rules\/1\/step\/where: col 1: error: unknown name "kernl" \(did you mean "kernel"\?\)/);
  });
});
