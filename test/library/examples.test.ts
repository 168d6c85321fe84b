// Runs the examples against the built package, then installs the packed tarball into a consumer
// project outside the repo and uses it from ESM, CommonJS and TypeScript.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const node = (args: string[], cwd = repoRoot): string => execFileSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 60_000 });
const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });

// FORENSICS_SKIP_BUILD=1 when dist/ is known to be fresh (e.g. right after `npm run build`).
beforeAll(() => {
  if (process.env.FORENSICS_SKIP_BUILD) return;
  try {
    execFileSync('npm', ['run', 'build'], { cwd: repoRoot, encoding: 'utf8', stdio: 'pipe', timeout: 120_000 });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`npm run build failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}, 120_000);

describe('examples (run with node against the built package, imported as "forensics")', () => {
  it('custom-rule.mjs runs one rule on one file', () => {
    const out = node(['examples/custom-rule.mjs', 'examples/rules/ssh-bruteforce.yaml', 'examples/data/auth.log', '--year', '2026']);
    expect(out).toContain('[medium] 7 failed SSH logins from 203.0.113.7 on combo');
    expect(out).toContain('1 finding(s)');
  });

  it('bucket-dump.mjs buckets a dump', () => {
    const out = node(['examples/bucket-dump.mjs', 'examples/data/kubelet-goroutines.txt']);
    expect(out).toContain('5 goroutines in 3 buckets');
    expect(out).toMatch(/3 \[select, 33 minutes\] k8s\.io\/client-go\/tools\/cache\.\(\*processorListener\)\.pop waiting 2-33 min, created by .* in goroutine 1/);
  });

  it('stream-timeline.mjs streams records with time quality', () => {
    const out = node(['examples/stream-timeline.mjs', 'examples/data', '--limit', '3', '--year', '2026']);
    expect(out).toContain('2026-06-14T15:16:00.000Z year-inferred combo auth.log:1 authentication failure');
    expect(out).toContain('10 lines, 0 not understood');
    expect(out).toContain('3 goroutine(s) [select]');
  });

  it('analyze-folder.mjs analyses a recorded incident', () => {
    const out = node(['examples/analyze-folder.mjs', 'corpus/pvek8s-2026-05-28-power-outage', '--tz', 'Australia/Brisbane', '--year', '2026', '--format', 'json']);
    const report = JSON.parse(out) as { findings: Array<{ rule: string }> };
    expect(report.findings.map((f) => f.rule)).toContain('kine-watch-disruption');
  });
});

describe('consumer project outside the repo', () => {
  let dir = '';
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('installs the packed tarball offline and uses it from ESM, CommonJS and TypeScript', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'forensics-consumer-'));
    // The build is fresh (beforeAll): skip `prepare`.
    const tarball = npm(['pack', '--ignore-scripts', '--pack-destination', dir, '--silent'], repoRoot).trim().split('\n').pop()!;
    const app = path.join(dir, 'app');
    mkdirSync(app);
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }));
    npm(['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', path.join(dir, tarball)], app);
    expect(readdirSync(path.join(app, 'node_modules/forensics'))).toContain('dist');

    const logs = path.join(repoRoot, 'examples/data');
    writeFileSync(
      path.join(app, 'esm.mjs'),
      `import { analyze, renderReport, VERSION } from 'forensics';
const r = await analyze([${JSON.stringify(logs)}], { year: 2026, rules: [${JSON.stringify(path.join(repoRoot, 'examples/rules/ssh-bruteforce.yaml'))}] });
console.log('esm', VERSION, r.inputs.length, r.findings.map((f) => f.rule).join(','), renderReport(r, 'text').length > 0);
`,
    );
    writeFileSync(
      path.join(app, 'cjs.cjs'),
      `const { analyze, parseGoroutineDumpSync, ForensicsError } = require('forensics');
const dumps = parseGoroutineDumpSync('goroutine 1 [running]:\\nmain.main()\\n\\t/x/main.go:1 +0x1\\n');
analyze(['/no/such/place']).catch((e) => console.log('cjs', dumps[0].goroutineCount, e instanceof ForensicsError, e.code));
`,
    );
    writeFileSync(
      path.join(app, 'typed.mts'),
      `import { analyze, openInputs, parse, isForensicsError, type ParsedRecord, type Report } from 'forensics';
const { inputs } = await openInputs(['logs']);
for await (const r of parse(inputs[0]!)) {
  const rec: ParsedRecord = r;
  if (rec.type === 'goroutine-bucket') rec.bucket.waitMinutes?.max.toFixed();
  if (rec.type === 'line') rec.event.quality satisfies string;
}
const report: Report = await analyze(['logs'], { signal: AbortSignal.timeout(1000) }).catch((e: unknown) => {
  if (isForensicsError(e, 'E_ABORTED')) throw e;
  throw e;
});
export default report.findings.length;
`,
    );
    writeFileSync(
      path.join(app, 'typed.cts'),
      `import forensics = require('forensics');
const store = new forensics.EventStore();
export const n: number = store.size;
export const f: forensics.ReportFormat = 'html';
`,
    );
    writeFileSync(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          lib: ['es2023'],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [path.join(repoRoot, 'node_modules/@types')],
        },
        files: ['typed.mts', 'typed.cts'],
      }),
    );

    expect(node(['esm.mjs'], app)).toMatch(/^esm 0\.\d+\.\d+ 2 \S*ssh-bruteforce\S* true/);
    expect(node(['cjs.cjs'], app)).toContain('cjs 1 true E_NOTHING_READABLE');
    execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8', timeout: 60_000 });
  });
});
