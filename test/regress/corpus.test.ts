import { readFileSync, mkdtempSync, cpSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareFindings, type Expected } from '../../src/regress/expected.js';
import { toJUnit } from '../../src/regress/junit.js';
import { regress } from '../../src/regress/run.js';
import { cli, repoRoot } from '../helpers.js';

const corpus = join(repoRoot, 'corpus');

describe('forensics regress corpus/', () => {
  it('every recorded incident gives its expected findings and none of its absent rules', async () => {
    const results = await regress(corpus);
    expect(results.length).toBeGreaterThanOrEqual(7);
    for (const r of results) expect({ incident: r.name, error: r.error, differences: r.differences.map((d) => d.message) }).toEqual({ incident: r.name, error: undefined, differences: [] });
    // Negative incidents stay silent on the rules they exist for.
    const byName = new Map(results.map((r) => [r.name, r]));
    expect(byName.get('neg-single-eviction')!.findings.map((f) => f.rule)).not.toContain('kcm-reconnect-eviction-burst');
    expect(byName.get('neg-healthy-goroutine-dump')!.findings.map((f) => f.rule)).not.toContain('kubelet-informer-stall');
    expect(byName.get('neg-link-flap-recovered')!.findings.map((f) => f.rule)).not.toContain('iscsi-readonly-cascade');
  });

  it('explains a regression in words, writes JUnit XML, exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'forensics-regress-'));
    cpSync(join(corpus, 'neg-link-flap-recovered'), join(dir, 'flap'), { recursive: true });
    const exp = JSON.parse(readFileSync(join(dir, 'flap/expected.json'), 'utf8')) as Expected;
    exp.findings.push({ rule: 'iscsi-readonly-cascade', hosts: ['nowhere'] });
    exp.absent = [...(exp.absent ?? []), 'iscsi-link-flap-recovered'];
    writeFileSync(join(dir, 'flap/expected.json'), JSON.stringify(exp));
    const junit = join(dir, 'junit.xml');
    const r = cli(['regress', dir, '--junit', junit]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ flap/);
    expect(r.stdout).toMatch(/missing iscsi-readonly-cascade on nowhere/);
    expect(r.stdout).toMatch(/unexpected iscsi-link-flap-recovered on/);
    expect(r.stdout).toMatch(/^0 passed, 1 failed$/m);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/<testsuite name="forensics regress" tests="1" failures="1"/);
    expect(xml).toMatch(/<failure message="2 difference\(s\)">/);
  });

  it('--update rewrites expected.json and shows what changed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'forensics-update-'));
    cpSync(join(corpus, 'neg-kine-disconnect-no-eviction'), join(dir, 'kine'), { recursive: true });
    writeFileSync(join(dir, 'kine/expected.json'), JSON.stringify({ options: { tz: 'Australia/Brisbane', year: 2026 }, findings: [] }));
    const r = cli(['regress', dir, '--update']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/updated \+ kine-watch-disruption on/);
    const next = JSON.parse(readFileSync(join(dir, 'kine/expected.json'), 'utf8')) as Expected;
    expect(next.findings.map((f) => f.rule)).toContain('kine-watch-disruption');
    expect(cli(['regress', dir]).code).toBe(0);
  });

  it('compares times within tolerance and entities as a subset', () => {
    const f = { rule: 'r', title: 't', severity: 'high' as const, start: '2026-05-28T10:21:09.400Z', end: '2026-05-28T10:23:40.000Z', hosts: ['a', 'b'], entities: { device: 'sdb', n: 2 }, steps: [], explanation: '', remediation: [] };
    expect(compareFindings({ findings: [{ rule: 'r', hosts: ['a'], entities: { device: 'sdb' }, start: '2026-05-28T10:21:09Z', toleranceSeconds: 1 }] }, [f])).toEqual([]);
    const d = compareFindings({ findings: [{ rule: 'r', entities: { device: 'sdc' }, start: '2026-05-28T10:21:00Z' }] }, [f]);
    expect(d.map((x) => x.kind).sort()).toEqual(['wrong-entity', 'wrong-time']);
    expect(toJUnit([])).toMatch(/tests="0"/);
  });
});
