/**
 * Start-up: the build writes the built-in pack pre-parsed and pre-checked (dist/rules/builtin-pack.json),
 * with the syntax trees of its `where` conditions, so `analyze` with the built-in pack loads neither YAML,
 * ajv nor chevrotain (the expression parser). These tests check that the shortcut changes nothing: same
 * rules, same diagnostics, and an edited pack file is read as before.
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
import { parseExpr } from '../../src/rules/expr/index.js';
import { whereSources } from '../../src/rules/where.js';
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

  it('stores the syntax tree of every where condition of the pack, macros expanded, as the parser makes it', async () => {
    const built = await prebuildPack(builtinPackDir());
    const wheres = whereSources((await readRuleFiles([])).rules);
    expect(wheres.length).toBeGreaterThan(0);
    expect(new Set(built.asts?.map(([source]) => source))).toEqual(new Set(wheres));
    for (const [source, ast] of built.asts ?? []) {
      const parsed = parseExpr(source);
      expect(parsed).toEqual({ ok: true, ast, errors: [] });
      expect(JSON.parse(JSON.stringify(ast))).toEqual(ast);
    }
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

  /**
   * Runs `analyze` of a one-line log in a fresh process (extra node flags, rule files), and lists the
   * modules it loaded: ES modules through a load hook; CommonJS modules, and ES modules loaded with
   * require() (no load hook sees those), from require.cache.
   */
  function analyzeLoads(flags: string[] = [], rules: string[] = []): string[] {
    const log = join(root, 'tiny.log');
    writeFileSync(log, 'May 28 00:00:00 k8s03 foo: bar\n');
    const r = spawnSync(
      process.execPath,
      [
        ...flags,
        '--input-type=module',
        '-e',
        `import { createRequire, register } from 'node:module';
         const seen = [];
         const { port1, port2 } = new MessageChannel();
         port1.on('message', (u) => seen.push(u));
         port1.unref();
         register('data:text/javascript,' + encodeURIComponent('let port; export function initialize(d) { port = d.port; } export async function load(u, c, n) { port.postMessage(u); return n(u, c); }'), { data: { port: port2 }, transferList: [port2] });
         const { analyze } = await import(${JSON.stringify(pathToFileURL(join(dist, 'index.js')).href)});
         const report = await analyze([${JSON.stringify(log)}], { rules: ${JSON.stringify(rules)} });
         if (report.meta.lines !== 1) throw new Error('read ' + report.meta.lines + ' lines');
         await new Promise((res) => setTimeout(res, 50));
         const cjs = Object.keys(createRequire(import.meta.url).cache).map((p) => 'file://' + p);
         console.log(JSON.stringify([...seen, ...cjs]));`,
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const urls = JSON.parse(r.stdout) as string[];
    expect(urls.some((u) => u.endsWith('/dist/analyze.js'))).toBe(true);
    return urls;
  }

  const packageOf = (u: string): string | undefined => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1];

  it('analyze with the built-in pack loads no YAML parser, no ajv, no expression parser and no report renderer dependencies', () => {
    const packages = new Set(analyzeLoads().map(packageOf));
    for (const name of ['yaml', 'ajv', 'chevrotain', '@chevrotain/types', 'lodash-es', 'cli-progress', 'picocolors']) expect(packages).not.toContain(name);
  });

  /** A rule file with a `where` the built-in pack does not have: parsed by chevrotain at run time. */
  function userRule(): string {
    const file = join(root, 'user-rule.yaml');
    writeFileSync(
      file,
      "- id: user-foo\n  kind: single\n  severity: low\n  title: 'foo on {host}'\n  explanation: x\n" +
        "  step: { name: foo, event: user.foo, where: 'msg contains \"bar\" and not (msg ~ /baz/)' }\n",
    );
    return file;
  }

  it("a user rule's where is parsed by chevrotain from its single-file bundle, not from its module tree", () => {
    const loaded = analyzeLoads([], [userRule()]).filter((u) => packageOf(u) !== undefined && /chevrotain|lodash/.test(packageOf(u)!));
    expect(loaded.map((u) => u.replace(/^.*\/node_modules\//, ''))).toEqual(['chevrotain/lib/chevrotain.mjs']);
  });

  it.skipIf(process.features.require_module !== true)('works where require() cannot load ES modules (the bundle is then imported up front)', () => {
    const loaded = analyzeLoads(['--no-experimental-require-module'], [userRule()]).filter((u) => /node_modules\/(chevrotain|lodash)/.test(u));
    expect(loaded.map((u) => u.replace(/^.*\/node_modules\//, ''))).toEqual(['chevrotain/lib/chevrotain.mjs']);
  });
});
