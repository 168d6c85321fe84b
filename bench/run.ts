/**
 * `npm run bench [-- --size 2G | --quick] [--pairs 3]`: generates seeded logs into a temp folder
 * (deleted afterwards, never committed), then times `forensics analyze --json` (the built CLI)
 * against `grep -c -F -f <signature literals>`, `rg -c -F -f` when installed, and `gzip -dc` for the
 * .gz input, in alternating runs (median of the pairs). Prints the table and writes bench/RESULTS.md.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateBenchLogs } from '../tools/loggen/generate.js';
import { loadRules } from '../src/rules/loader.js';
import { Classifier } from '../src/rules/signatures.js';

/** `2G`, `200M`, `64k` or bytes. */
function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(s.trim());
  if (!m) throw new Error(`bad size: ${s}`);
  return Math.round(Number(m[1]) * 1024 ** ' kmgt'.indexOf((m[2] || ' ').toLowerCase()));
}

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const sizeText = args.includes('--quick') ? '200M' : (opt('--size') ?? '2G');
const size = parseSize(sizeText);
const pairs = Math.max(3, Number(opt('--pairs') ?? 3));
const cli = join(root, 'dist/cli/main.js');

interface Timing {
  wall: number;
  rssKb: number;
}

/** Runs a shell command under /usr/bin/time -v; stdout goes to a pipe we drain (not /dev/null: grep would stop at the first match). */
function timed(cmd: string): Promise<Timing> {
  return new Promise((res, rej) => {
    const t0 = process.hrtime.bigint();
    const p = spawn('/usr/bin/time', ['-f', '%M', 'sh', '-c', cmd], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    p.stdout.on('data', () => {});
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', rej);
    p.on('close', (code) => {
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      const rss = Number(/(\d+)\s*$/.exec(err.trim())?.[1] ?? NaN);
      if (code !== 0 && code !== 1) rej(new Error(`${cmd} exited ${code}: ${err.slice(-500)}`));
      else res({ wall, rssKb: rss });
    });
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const has = (bin: string): boolean => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;

interface Row {
  input: string;
  command: string;
  wall: number;
  mbps: number;
  rssMb: number;
  ratio: string;
}

async function main(): Promise<void> {
  if (!statSync(cli, { throwIfNoEntry: false })) throw new Error('build first: npm run build');
  const dir = mkdtempSync(join(tmpdir(), 'forensics-bench-'));
  const rows: Row[] = [];
  try {
    const classifier = new Classifier(await loadRules([], { builtin: true }));
    const lits = classifier.prefilterLiterals() ?? [];
    const litFile = join(dir, 'literals.txt');
    writeFileSync(litFile, lits.join('\n') + '\n');
    const rg = has('rg');
    const inputs: Array<{ name: string; path: string; files: string[]; gz: boolean }> = [];
    console.error(`generating ${sizeText} x3 in ${dir} ...`);
    await generateBenchLogs({ dir: join(dir, 'single'), sizeBytes: size, seed: 1, gzip: false, layout: 'single', signatureEvery: 50000, tz: 'Australia/Brisbane' });
    await generateBenchLogs({ dir: join(dir, 'gz'), sizeBytes: size, seed: 1, gzip: true, layout: 'single', signatureEvery: 50000, tz: 'Australia/Brisbane' });
    await generateBenchLogs({ dir: join(dir, 'folder'), sizeBytes: size, seed: 2, gzip: false, layout: 'folder', signatureEvery: 50000, tz: 'Australia/Brisbane' });
    const list = (d: string): string[] => readdirSync(d, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
    inputs.push({ name: `plain single file`, path: join(dir, 'single'), files: list(join(dir, 'single')), gz: false });
    inputs.push({ name: `same as .gz`, path: join(dir, 'gz'), files: list(join(dir, 'gz')), gz: true });
    inputs.push({ name: `folder of ${list(join(dir, 'folder')).length} files`, path: join(dir, 'folder'), files: list(join(dir, 'folder')), gz: false });

    for (const inp of inputs) {
      const bytes = size;
      const files = inp.files.map((f) => `'${f}'`).join(' ');
      const ours = `node '${cli}' analyze --json '${inp.path}' > /dev/null`;
      const base: Array<[string, string]> = [];
      if (inp.gz) base.push(['gzip -dc', `gzip -dc ${files} > /dev/null`]);
      else {
        base.push(['grep -c -F -f', `grep -c -F -f '${litFile}' ${files} | cat`]);
        if (rg) base.push(['rg -c -F -f', `rg -c -F -f '${litFile}' ${files} | cat`]);
      }
      // One cold-cache warm-up read, then alternating runs.
      await timed(`cat ${files} > /dev/null`);
      const t: Record<string, Timing[]> = { ours: [] };
      for (const [n] of base) t[n] = [];
      for (let i = 0; i < pairs; i++) {
        t.ours.push(await timed(ours));
        for (const [n, c] of base) t[n].push(await timed(c));
      }
      const oursWall = median(t.ours.map((x) => x.wall));
      const ratios = base.map(([n]) => `${(oursWall / median(t[n].map((x) => x.wall))).toFixed(2)}x ${n}`).join(', ');
      rows.push({ input: inp.name, command: 'forensics analyze --json', wall: oursWall, mbps: bytes / 1e6 / oursWall, rssMb: Math.max(...t.ours.map((x) => x.rssKb)) / 1024, ratio: ratios });
      for (const [n] of base) {
        const w = median(t[n].map((x) => x.wall));
        rows.push({ input: inp.name, command: n, wall: w, mbps: bytes / 1e6 / w, rssMb: Math.max(...t[n].map((x) => x.rssKb)) / 1024, ratio: '' });
      }
      console.error(`${inp.name}: done`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const table = [
    '| input | command | wall (s) | MB/s | peak RSS (MB) | forensics vs baseline |',
    '|---|---|---:|---:|---:|---|',
    ...rows.map((r) => `| ${r.input} | \`${r.command}\` | ${r.wall.toFixed(2)} | ${r.mbps.toFixed(0)} | ${r.rssMb.toFixed(0)} | ${r.ratio} |`),
  ].join('\n');
  const cpu = cpus();
  const machine = `${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, node ${process.version}, ${process.platform}/${process.arch}`;
  const md = `# Benchmark results

Generated by \`npm run bench -- --size ${sizeText}\` on ${new Date().toISOString().slice(0, 10)} (do not edit by hand: rerun it).

Machine: ${machine}

Input: ${sizeText} of seeded generated logs (\`tools/loggen\`, signature lines about 1 in 50,000), page cache warm;
median of ${pairs} alternating runs; peak RSS of the child from \`/usr/bin/time\`. \`grep\`/\`rg\` output goes to a pipe.
Signature literals: the loaded rule pack's (\`Classifier.prefilterLiterals()\`).

${table}

Targets (issue 6): plain text <= 0.3x grep and <= 0.6x rg; gzip <= 0.5x gzip -dc; folder uses every core;
peak RSS < 256 MB and flat in input size.
`;
  writeFileSync(join(root, 'bench/RESULTS.md'), md);
  console.log(`${machine}\n\n${table}`);
}

await main();
