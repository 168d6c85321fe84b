import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { filterReport, renderReport } from '../../src/report/index.js';
import { pvek8s, repoRoot, widest } from './helpers.js';

const cli = path.join(repoRoot, 'dist/cli/main.js');
const hasCli = existsSync(cli);
if (!hasCli) console.warn(`[report] skipping the real-run tests: ${cli} is missing (run npm run build)`);

const schema = JSON.parse(readFileSync(path.join(repoRoot, 'schemas/report.schema.json'), 'utf8')) as object;
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

describe('the hand-written fixture', () => {
  it('is a valid schemaVersion 1 report', () => {
    expect(validate(pvek8s()), JSON.stringify(validate.errors)).toBe(true);
  });
  it('stays valid after filtering', () => {
    expect(validate(filterReport(pvek8s(), { hosts: ['k8s02'], since: '2026-05-28T10:21:00Z' }))).toBe(true);
  });
});

describe.skipIf(!hasCli)('renderers on the JSON of a real `forensics analyze --json` run', () => {
  let dir = '';
  let report: Report;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'forensics-report-'));
    mkdirSync(path.join(dir, 'k8s02'));
    mkdirSync(path.join(dir, 'k8s01'));
    // The PIR's chain 4 on k8s02, a benign flap earlier, and one line no parser understands.
    writeFileSync(
      path.join(dir, 'k8s02/kern.log'),
      [
        'May 28 19:16:07 k8s02 kernel: [ 1348.000001] connection2:0: detected conn error (1020)',
        'May 28 19:16:14 k8s02 kernel: [ 1355.000001] IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready',
        'May 28 20:21:09 k8s02 kernel: [ 5210.112233] connection1:0: detected conn error (1020)',
        'May 28 20:23:09 k8s02 kernel: [ 5330.120001] session1: session recovery timed out after 120 secs',
        'May 28 20:23:09 k8s02 kernel: [ 5330.121000] sd 2:0:0:0: rejecting I/O to offline device',
        'garbage <script>alert(1)</script> not a syslog line',
        'May 28 20:23:40 k8s02 kernel: [ 5361.000100] Aborting journal on device sdb-8.',
        'May 28 20:23:40 k8s02 kernel: [ 5361.000200] EXT4-fs (sdb): Remounting filesystem read-only',
        '',
      ].join('\n'),
    );
    writeFileSync(path.join(dir, 'k8s01/kern.log'), 'May 28 20:00:00 k8s01 kernel: [  100.000000] e1000e 0000:00:1f.6 eno1: NIC Link is Up 1000 Mbps Full Duplex\n');
    // Only the storage pack: this test is about rendering, not about the other packs' state.
    const json = execFileSync(
      process.execPath,
      [cli, 'analyze', dir, '--json', '--year', '2026', '--no-builtin-rules', '--rules', path.join(repoRoot, 'src/rules/pack/storage-iscsi.yaml')],
      { encoding: 'utf8' },
    );
    report = JSON.parse(json) as Report;
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gets a valid report with the iSCSI cascade and the flap', () => {
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.findings.map((f) => f.rule).sort()).toEqual(['iscsi-link-flap-recovered', 'iscsi-readonly-cascade']);
  });

  it('renders text within 100 columns, with the chain and the input warning', () => {
    const text = renderReport(report, 'text', { hostTz: { k8s02: 'Australia/Brisbane' } });
    expect(widest(text)).toBeLessThanOrEqual(100);
    expect(text).toContain('iSCSI session loss left sdb read-only on k8s02');
    expect(text).toMatch(/05-28 20:23:09\.000Z {2}05-29 06:23:09\+10 {2}k8s02 {2}timeout +k8s02\/kern\.log:4/);
    expect(text).toContain('k8s02/kern.log:6  line not understood as kern.log');
  });

  it('renders markdown with a timeline row per step and a checklist', () => {
    const md = renderReport(report, 'markdown', { displayTz: 'Australia/Brisbane' });
    expect(md).toContain('| Time (Australia/Brisbane) | Host | Event |');
    expect(md).toMatch(/\| 2026-05-29 06:21:09 \| k8s02 \| \*\*connErr\*\*/);
    expect(md).toMatch(/^- \[ \] Log out the stale session from k8s02/m);
  });

  it('renders html that embeds the lines escaped', () => {
    const html = renderReport(report, 'html');
    expect(html).toContain('<svg id="chart"');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('Remounting filesystem read-only');
  });

  it('renders json as the report itself', () => {
    expect(JSON.parse(renderReport(report, 'json'))).toEqual(report);
  });
});
