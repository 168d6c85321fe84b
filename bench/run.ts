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

/** `files` in `n` groups of about equal bytes (largest first, each to the lightest group). */
function byteShares(files: string[], n: number): string[][] {
  const groups = Array.from({ length: n }, () => ({ bytes: 0, files: [] as string[] }));
  for (const f of [...files].sort((a, b) => statSync(b).size - statSync(a).size)) {
    const g = groups.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    g.files.push(f);
    g.bytes += statSync(f).size;
  }
  return groups.filter((g) => g.files.length > 0).map((g) => g.files);
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

interface Check {
  target: string;
  measured: string;
  met: boolean;
}

async function main(): Promise<void> {
  if (!statSync(cli, { throwIfNoEntry: false })) throw new Error('build first: npm run build');
  const dir = mkdtempSync(join(tmpdir(), 'forensics-bench-'));
  const rows: Row[] = [];
  const checks: Check[] = [];
  const cores = cpus().length;
  try {
    const classifier = new Classifier(await loadRules([], { builtin: true }));
    const lits = classifier.prefilterLiterals() ?? [];
    const litFile = join(dir, 'literals.txt');
    writeFileSync(litFile, lits.join('\n') + '\n');
    const rg = has('rg');
    const small = Math.min(size, 100 * 2 ** 20);
    console.error(`generating ${sizeText} x3 and 100M in ${dir} ...`);
    const gen = (sub: string, bytes: number, seed: number, gzip: boolean, layout: 'single' | 'folder'): Promise<unknown> =>
      generateBenchLogs({ dir: join(dir, sub), sizeBytes: bytes, seed, gzip, layout, signatureEvery: 50000, tz: 'Australia/Brisbane' });
    await gen('single', size, 1, false, 'single');
    await gen('gz', size, 1, true, 'single');
    await gen('folder', size, 2, false, 'folder');
    await gen('small', small, 1, false, 'single');
    const list = (d: string): string[] => readdirSync(d, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
    const inputs = [
      { key: 'plain', name: 'plain single file', path: join(dir, 'single'), bytes: size, gz: false },
      { key: 'gz', name: 'same as .gz', path: join(dir, 'gz'), bytes: size, gz: true },
      { key: 'folder', name: `folder of ${list(join(dir, 'folder')).length} files`, path: join(dir, 'folder'), bytes: size, gz: false },
      { key: 'small', name: `plain single file, ${(small / 2 ** 20).toFixed(0)}M`, path: join(dir, 'small'), bytes: small, gz: false },
    ];
    const measured: Record<string, { ours: number; rss: number; base: Record<string, number>; rssOf: Record<string, number> }> = {};

    for (const inp of inputs) {
      const files = list(inp.path).map((f) => `'${f}'`).join(' ');
      const ours = `node '${cli}' analyze --json '${inp.path}' > /dev/null`;
      const base: Array<[string, string]> = [];
      if (inp.gz) base.push(['gzip -dc', `gzip -dc ${files} > /dev/null`]);
      else {
        base.push(['grep -c -F -f', `grep -c -F -f '${litFile}' ${files} | cat`]);
        // What this machine's cores give a scan that shares nothing: the files split across processes.
        if (inp.key === 'folder') {
          const n = Math.ceil(list(inp.path).length / cores);
          base.push([`grep -c -F -f, ${cores} processes`, `printf '%s\\n' ${files} | xargs -P ${cores} -n ${n} grep -c -F -f '${litFile}' | cat`]);
          // The same for forensics: one single-thread process per core, each on its share of the bytes.
          // Every process (like every worker thread) pays its own start-up and JIT compilation.
          const shares = byteShares(list(inp.path), cores).map((fs) => `node '${cli}' analyze --json --jobs 1 ${fs.map((f) => `'${f}'`).join(' ')} > /dev/null &`);
          base.push([`forensics analyze --jobs 1, ${cores} processes`, `${shares.join(' ')} wait`]);
        }
        if (rg) base.push(['rg -c -F -f', `rg -c -F -f '${litFile}' ${files} | cat`]);
      }
      // The single-thread run shows what the threads bring (plain inputs), and compares memory across
      // sizes at the same thread count (a 100 MB file is read by one thread, 2 GB by all of them).
      if (inp.key !== 'gz') base.push(['forensics analyze --jobs 1', `node '${cli}' analyze --json --jobs 1 '${inp.path}' > /dev/null`]);
      // One cold-cache warm-up read, then alternating runs.
      await timed(`cat ${files} > /dev/null`);
      const t: Record<string, Timing[]> = { ours: [] };
      for (const [n] of base) t[n] = [];
      for (let i = 0; i < pairs; i++) {
        t.ours.push(await timed(ours));
        for (const [n, c] of base) t[n].push(await timed(c));
      }
      const oursWall = median(t.ours.map((x) => x.wall));
      const rss = Math.max(...t.ours.map((x) => x.rssKb)) / 1024;
      const m: (typeof measured)[string] = { ours: oursWall, rss, base: {}, rssOf: {} };
      for (const [n] of base) {
        m.base[n] = median(t[n].map((x) => x.wall));
        m.rssOf[n] = Math.max(...t[n].map((x) => x.rssKb)) / 1024;
      }
      measured[inp.key] = m;
      const ratios = base.filter(([n]) => !n.includes('--jobs') && !n.includes('processes')).map(([n]) => `${(oursWall / m.base[n]).toFixed(2)}x ${n}`).join(', ');
      rows.push({ input: inp.name, command: 'forensics analyze --json', wall: oursWall, mbps: inp.bytes / 1e6 / oursWall, rssMb: rss, ratio: ratios });
      for (const [n] of base) {
        rows.push({ input: inp.name, command: n, wall: m.base[n], mbps: inp.bytes / 1e6 / m.base[n], rssMb: Math.max(...t[n].map((x) => x.rssKb)) / 1024, ratio: '' });
      }
      console.error(`${inp.name}: done`);
    }
    const ratio = (key: string, base: string): number => measured[key].ours / measured[key].base[base];
    checks.push({ target: 'plain text: <= 0.3x grep -c -F -f', measured: `${ratio('plain', 'grep -c -F -f').toFixed(2)}x`, met: ratio('plain', 'grep -c -F -f') <= 0.3 });
    if (rg) checks.push({ target: 'plain text: <= 0.6x rg -c -F -f', measured: `${ratio('plain', 'rg -c -F -f').toFixed(2)}x`, met: ratio('plain', 'rg -c -F -f') <= 0.6 });
    checks.push({ target: 'gzip: <= 0.5x gzip -dc', measured: `${ratio('gz', 'gzip -dc').toFixed(2)}x`, met: ratio('gz', 'gzip -dc') <= 0.5 });
    for (const key of ['folder', 'plain']) {
      const speedup = measured[key].base['forensics analyze --jobs 1'] / measured[key].ours;
      // "About 1/cores of the single-core run": at least 80% of the ideal speed-up.
      const grepP = measured.folder.base[`grep -c -F -f, ${cores} processes`];
      const oursP = measured.folder.base[`forensics analyze --jobs 1, ${cores} processes`];
      const machine = grepP
        ? ` (folder split over ${cores} processes: grep ${(measured.folder.base['grep -c -F -f'] / grepP).toFixed(2)}x, forensics --jobs 1 ${(measured.folder.base['forensics analyze --jobs 1'] / oursP).toFixed(2)}x faster than one)`
        : '';
      checks.push({ target: `${key === 'folder' ? 'folder' : 'single large file'}: every core used (wall about 1/${cores} of --jobs 1)`, measured: `${speedup.toFixed(2)}x faster than --jobs 1${machine}`, met: speedup >= 0.8 * cores });
    }
    const maxRss = Math.max(...Object.values(measured).map((m) => m.rss));
    checks.push({ target: 'peak RSS < 256 MB on every input', measured: `${maxRss.toFixed(0)} MB at most`, met: maxRss < 256 });
    // Like for like: the same number of threads at both sizes (each worker adds its isolate, whatever the input).
    const j1 = 'forensics analyze --jobs 1';
    const flat = measured.plain.rssOf[j1] / measured.small.rssOf[j1];
    checks.push({
      target: `peak RSS flat from ${(small / 2 ** 20).toFixed(0)} MB to ${sizeText} (one thread at both sizes)`,
      measured: `${measured.small.rssOf[j1].toFixed(0)} MB -> ${measured.plain.rssOf[j1].toFixed(0)} MB (${flat.toFixed(2)}x); default threads: ${measured.small.rss.toFixed(0)} MB (1 thread) -> ${measured.plain.rss.toFixed(0)} MB (${cores})`,
      met: flat <= 1.25,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const table = [
    '| input | command | wall (s) | MB/s | peak RSS (MB) | forensics vs baseline |',
    '|---|---|---:|---:|---:|---|',
    ...rows.map((r) => `| ${r.input} | \`${r.command}\` | ${r.wall.toFixed(2)} | ${r.mbps.toFixed(0)} | ${r.rssMb.toFixed(0)} | ${r.ratio} |`),
  ].join('\n');
  const targets = ['| target (issue 6) | measured | met |', '|---|---|---|', ...checks.map((c) => `| ${c.target} | ${c.measured} | ${c.met ? 'yes' : '**no**'} |`)].join('\n');
  const cpu = cpus();
  const machine = `${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, node ${process.version}, ${process.platform}/${process.arch}`;
  const md = `# Benchmark results

Generated by \`npm run bench -- --size ${sizeText}\` on ${new Date().toISOString().slice(0, 10)} (do not edit by hand: rerun it).

Machine: ${machine}

Input: ${sizeText} of seeded generated logs (\`tools/loggen\`, signature lines about 1 in 50,000), page cache warm;
median of ${pairs} alternating runs; peak RSS of the child from \`/usr/bin/time\`. \`grep\`/\`rg\` output goes to a pipe.
Signature literals: the loaded rule pack's (\`Classifier.prefilterLiterals()\`). Each \`forensics\` run includes its
start-up (module loading, rule pack).

${table}

${targets}
`;
  writeFileSync(join(root, 'bench/RESULTS.md'), md);
  console.log(`${machine}\n\n${table}\n\n${targets}`);
}

await main();
