/**
 * Start-up: the build writes the built-in pack pre-parsed and pre-checked (dist/rules/builtin-pack.json),
 * so `analyze` with the built-in pack loads neither YAML, ajv nor a parser generator. These tests check
 * that the shortcut changes nothing: same rules, same diagnostics, and an edited pack file is read as before.
 * The dist tests run on a copy of dist/ (skipped when the package is not built).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRules } from '../../src/rules/check.js';
import { loadRules, parseRuleText, prebuildPack, readRuleFiles } from '../../src/rules/loader.js';
import { builtinPackDir } from '../../src/rules/validate.js';
import { repoRoot } from '../helpers.js';

describe('prebuildPack', () => {
  it('stores each pack file as parseRuleText reads it, and the errors loadRules finds in the pack', async () => {
    const built = await prebuildPack(builtinPackDir());
    expect(built.files.length).toBeGreaterThan(0);
    for (const f of built.files) {
      expect(f.source).toEqual(parseRuleText(f.text, f.shown, f.shown.endsWith('.json')));
      expect(JSON.parse(JSON.stringify(f.source))).toEqual(f.source);
    }
    const src = await readRuleFiles([]);
    expect(built.check?.errors).toEqual([...src.diagnostics, ...checkRules(src.rules)].filter((d) => d.severity === 'error'));
    expect(built.check?.v8).toBe(process.versions.v8);
  });

  it('leaves out a file whose parse would not survive JSON (and then checks nothing ahead)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'forensics-pack-'));
    try {
      writeFileSync(join(dir, 'a.yaml'), readFileSync(join(builtinPackDir(), 'node.yaml'), 'utf8'));
      const kubelet = readFileSync(join(builtinPackDir(), 'kubelet.yaml'), 'utf8');
      expect(kubelet).toContain('params: { minutes: 30 }');
      writeFileSync(join(dir, 'b.yaml'), kubelet.replace('params: { minutes: 30 }', 'params: { minutes: .inf }'));
      expect(parseRuleText(readFileSync(join(dir, 'b.yaml'), 'utf8'), 'b.yaml').diagnostics).toEqual([]);
      const built = await prebuildPack(dir);
      expect(built.files.map((f) => f.shown)).toEqual(['builtin:a.yaml']);
      expect(built.check).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const built = existsSync(join(repoRoot, 'dist/rules/builtin-pack.json'));

describe.skipIf(!built)('the built package', () => {
  let root: string;
  let dist: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'forensics-dist-'));
    dist = join(root, 'dist');
    cpSync(join(repoRoot, 'dist'), dist, { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'forensics-copy', type: 'module' }));
    symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
    symlinkSync(join(repoRoot, 'schemas'), join(root, 'schemas'), 'dir');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** Runs an ES module in the copy; its stdout parsed as JSON. */
  function run(code: string, args: string[] = []): unknown {
    const file = join(root, `run-${Math.random().toString(36).slice(2)}.mjs`);
    writeFileSync(file, code);
    const r = spawnSync(process.execPath, [...args, file], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout);
  }

  const readBoth = `
    import { readRuleFiles, loadRules } from './dist/index.js';
    const src = await readRuleFiles([]);
    let error = null;
    try { await loadRules(); } catch (e) { error = e.message; }
    console.log(JSON.stringify({ src, error }));
  `;

  it('reads the same rules and diagnostics with and without the pre-parsed pack', () => {
    const fast = run(readBoth);
    renameSync(join(dist, 'rules/builtin-pack.json'), join(dist, 'rules/builtin-pack.off'));
    try {
      expect(run(readBoth)).toEqual(fast);
    } finally {
      renameSync(join(dist, 'rules/builtin-pack.off'), join(dist, 'rules/builtin-pack.json'));
    }
  });

  it('reads an edited pack file from its text, with its errors', () => {
    const file = join(dist, 'rules/pack/node.yaml');
    const before = readFileSync(file, 'utf8');
    try {
      appendFileSync(file, '  - id: broken-rule\n    kind: signature\n    event: node.broken\n    title: Broken\n    match: { regex: "(a+)+$" }\n');
      const { src, error } = run(readBoth) as { src: { rules: Array<{ rule: { id: string } }> }; error: string | null };
      expect(src.rules.map((r) => r.rule.id)).toContain('broken-rule');
      expect(error).toMatch(/broken-rule/);
      writeFileSync(file, `${before}  - kind: signature\n`);
      const bad = run(readBoth) as { src: { rules: unknown[]; diagnostics: Array<{ file: string; message: string }> }; error: string | null };
      expect(bad.src.diagnostics.some((d) => d.file === 'builtin:node.yaml' && /missing required field/.test(d.message))).toBe(true);
      expect(bad.error).toMatch(/missing required field/);
    } finally {
      writeFileSync(file, before);
    }
  });

  it('analyze with the built-in pack loads no YAML parser, no ajv, no parser generator and no report renderer dependencies', () => {
    const log = join(root, 'tiny.log');
    writeFileSync(log, 'May 28 00:00:00 k8s03 foo: bar\n');
    const loaded = run(
      `
      import { createRequire } from 'node:module';
      const { analyze } = await import('./dist/index.js');
      const report = await analyze([${JSON.stringify(log)}]);
      const require = createRequire(import.meta.url);
      console.log(JSON.stringify({ lines: report.meta.lines, cjs: Object.keys(require.cache) }));
    `,
    ) as { lines: number; cjs: string[] };
    expect(loaded.lines).toBe(1);
    const packages = [...new Set(loaded.cjs.map((p) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(p)?.[1]).filter(Boolean))];
    for (const name of ['yaml', 'ajv', 'cli-progress', 'picocolors']) expect(packages).not.toContain(name);
    // chevrotain is an ES module: look for it in the module graph through a load hook.
    const r = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { register } from 'node:module';
         const seen = [];
         const { port1, port2 } = new MessageChannel();
         port1.on('message', (u) => seen.push(u));
         port1.unref();
         register('data:text/javascript,' + encodeURIComponent('let port; export function initialize(d) { port = d.port; } export async function load(u, c, n) { port.postMessage(u); return n(u, c); }'), { data: { port: port2 }, transferList: [port2] });
         const { analyze } = await import(${JSON.stringify(pathToFileURL(join(dist, 'index.js')).href)});
         await analyze([${JSON.stringify(log)}]);
         await new Promise((res) => setTimeout(res, 50));
         console.log(JSON.stringify(seen));`,
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    const urls = JSON.parse(r.stdout) as string[];
    expect(urls.some((u) => u.endsWith('/dist/analyze.js'))).toBe(true);
    expect(urls.filter((u) => /node_modules\/(chevrotain|@chevrotain|lodash-es|yaml|ajv)\//.test(u))).toEqual([]);
  });
});
