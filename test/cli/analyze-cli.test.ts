import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule from 'ajv';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { CASCADE_KERN_LOG, cli, makeTree, repoRoot } from '../helpers.js';

const Ajv = AjvModule as unknown as typeof AjvModule.default;
const validateReport = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(repoRoot, 'schemas/report.schema.json'), 'utf8')));

const DMESG = CASCADE_KERN_LOG.split('\n')
  .filter((l) => l.includes('5168.') || l.includes('5288.'))
  .map((l) => l.slice(l.indexOf('[')))
  .join('\n');

function incident(): string {
  return makeTree({
    'k8s02/kern.log': `${CASCADE_KERN_LOG}\n`,
    // The same lines in an older rotation, gzipped and renamed: recognised by content, counted once.
    'k8s02/kern.log.1.gz': `${CASCADE_KERN_LOG}\n`,
    'k8s02/renamed-without-suffix': Buffer.from(''),
    'k8s02/dmesg': `${DMESG}\n`,
    'k8s01/syslog': 'May 28 20:21:08 k8s01 containerd[812]: time="2026-05-28T10:21:08.1Z" level=info msg="shim disconnected"\nnot a syslog line\n',
    'notes/README.txt': 'hello, these are notes\n',
    'k8s03/system.journal': Buffer.concat([Buffer.from('LPKSHHRH'), Buffer.alloc(64)]),
  });
}

describe('forensics analyze (end to end)', () => {
  it('prints the cascade with its evidence, then one line per input', () => {
    const dir = incident();
    const r = cli(['analyze', dir, '--tz', 'Australia/Brisbane', '--year', '2026']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^HIGH \d\/\d +iSCSI session loss left sdb read-only on k8s02$/m);
    expect(r.stdout).toMatch(/^HIGH \d\/\d +iSCSI session loss left sdc read-only on k8s02$/m);
    expect(r.stdout).toContain('k8s02/kern.log:7');
    expect(r.stdout).toContain('10:21:09.000Z'); // 20:21:09 AEST is 10:21:09 UTC
    expect(r.stdout).toContain('20:21:09+10'); // and the host's local time beside it
    expect(r.stdout).toMatch(/^INFO \d\/\d +iSCSI connection error on k8s02 recovered after a link flap$/m);
    expect(r.stdout).toMatch(/k8s03\/system\.journal .*skipped: systemd binary journal/);
    expect(r.stdout).toMatch(/notes\/README\.txt .*skipped: not a recognised log format/);
    expect(r.stdout).toMatch(/k8s01\/syslog +syslog +k8s01 +2 +1 /);
    for (const line of r.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    expect(r.stdout).not.toMatch(/\x1b\[/); // no colours when not a terminal
  });

  it('--json validates against the published schema and carries evidence with relative paths', () => {
    const r = cli(['analyze', incident(), '--json', '--tz', 'Australia/Brisbane', '--year', '2026']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    const cascades = report.findings.filter((f: { rule: string }) => f.rule === 'iscsi-readonly-cascade');
    expect(cascades.map((f: { entities: { device: string } }) => f.entities.device).sort()).toEqual(['sdb', 'sdc']);
    const sdb = cascades.find((f: { entities: { device: string } }) => f.entities.device === 'sdb');
    expect(sdb).toMatchObject({
      severity: 'high',
      hosts: ['k8s02'],
      start: '2026-05-28T10:21:09.000Z',
      end: '2026-05-28T10:23:40.000Z',
      entities: { device: 'sdb', sessions: ['1', '2'], timeoutSecs: 120 },
    });
    expect(sdb.steps.map((s: { name: string }) => s.name)).toEqual(['connErr', 'timeout', 'io', 'abort', 'ro']);
    expect(sdb.steps[4]).toMatchObject({ file: 'k8s02/kern.log', line: 15, host: 'k8s02', text: expect.stringContaining('Remounting filesystem read-only') });
    const dmesg = report.inputs.find((i: { path: string }) => i.path === 'k8s02/dmesg');
    // Raw dmesg is anchored to wall time through kern.log's [mono] stamps of the same boot.
    // Syslog seconds bound the boot instant to within a second; the estimate converges from below.
    expect(dmesg).toMatchObject({ format: 'dmesg', host: 'k8s02', lines: 6, unparsed: 0, first: expect.stringMatching(/^2026-05-28T10:21:09\.\d{6}Z$/) });
    const rotated = report.inputs.find((i: { path: string }) => i.path === 'k8s02/kern.log.1.gz');
    expect(rotated).toMatchObject({ compression: 'gzip', lines: 19, unparsed: 0 });
    const k8s01 = report.inputs.find((i: { path: string }) => i.path === 'k8s01/syslog');
    expect(k8s01.warnings).toEqual([{ line: 2, message: expect.stringMatching(/not understood/) }]);
  });

  it('exit codes: --fail-on, usage errors and nothing readable; one line on stderr, no stack trace', () => {
    const dir = incident();
    expect(cli(['analyze', dir, '--fail-on', 'high']).code).toBe(1);
    expect(cli(['analyze', dir, '--fail-on', 'critical']).code).toBe(0);
    const missing = cli(['analyze', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/^forensics: nothing readable: .*nope \(no such file or folder\)/);
    const badTz = cli(['analyze', dir, '--tz', 'Mars/Olympus']);
    expect(badTz.code).toBe(2);
    expect(badTz.stderr).toMatch(/unknown time zone "Mars\/Olympus"/);
    expect(cli(['analyze']).code).toBe(2);
    expect(cli(['analyze', dir, '--fail-on', 'loud']).code).toBe(2);
  });

  it('a glob and a single file work; a missing path among good ones is a warning, not a failure', async () => {
    const dir = incident();
    const r = cli(['analyze', `${dir}/k8s02/kern.log*`, join(dir, 'missing.log'), '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    // Paths are relative to the glob's fixed base (`<dir>/k8s02`); the host comes from the lines.
    expect(report.inputs.map((i: { path: string }) => i.path)).toEqual([expect.stringContaining('missing.log'), 'kern.log', 'kern.log.1.gz']);
    expect(report.inputs[1].host).toBe('k8s02');
    expect(report.findings.length).toBeGreaterThan(0);
    const single = await analyze([join(dir, 'k8s02/kern.log')], { tz: 'Australia/Brisbane', year: 2026 });
    expect(single.inputs[0]).toMatchObject({ path: join(dir, 'k8s02/kern.log'), host: 'k8s02' });
  });

  it('--host names the host of a dmesg that has no folder and no hostname field', async () => {
    const dir = makeTree({ 'dmesg.txt': `${DMESG}\n` });
    const report = await analyze([join(dir, 'dmesg.txt')], { host: 'node-7' });
    expect(report.inputs[0]).toMatchObject({ host: 'node-7', format: 'dmesg', first: null });
    expect(report.inputs[0].warnings[0].message).toMatch(/could not be anchored/);
  });

  it('--near-misses names the step that is missing, in text and JSON', () => {
    // The cascade up to the failed I/O, without the journal abort and the read-only remount.
    const dir = makeTree({ 'k8s02/kern.log': `${CASCADE_KERN_LOG.split('\n').slice(0, 12).join('\n')}\n` });
    const text = cli(['analyze', dir, '--near-misses', '--tz', 'Australia/Brisbane', '--year', '2026']);
    expect(text.stdout).toMatch(/Near misses \(\d+\)/);
    expect(text.stdout.replace(/\s+/g, ' ')).toMatch(/iscsi-readonly-cascade on k8s02: 1 of 2 steps from k8s02\/kern\.log:9 .*step "ro" not found in its window/);
    const json = JSON.parse(cli(['analyze', dir, '--near-misses', '--json']).stdout);
    expect(json.nearMisses).toContainEqual(expect.objectContaining({ rule: 'iscsi-readonly-cascade', missing: 'ro', reason: 'not-found' }));
  });
});
