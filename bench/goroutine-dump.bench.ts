/**
 * Goroutine dump parser benchmark (not a unit test).
 *
 *   npx tsx bench/goroutine-dump.bench.ts [--goroutines 100000] [--templates 60] [--file /tmp/forensics-goroutines.txt] [--regen 1]
 *
 * Generates a pprof debug=2 style dump (test/fixtures/goroutine/generate.ts), then in the same run times
 * `cat file > /dev/null` and `wc -l file`, and parses + buckets the file from a read stream in a fresh
 * child process per mode (all goroutines kept / buckets only), reporting MB/s and peak RSS.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseGoroutineDump } from '../src/parsers/goroutine/index.js';
import { generateDump } from '../test/fixtures/goroutine/generate.js';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : def;
}

async function child(file: string, mode: string): Promise<void> {
  const t0 = process.hrtime.bigint();
  const dumps = await parseGoroutineDump(createReadStream(file, { highWaterMark: 1 << 20 }), {
    keepGoroutines: mode === 'keep',
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const d = dumps[0];
  process.stdout.write(
    JSON.stringify({
      mode,
      ms,
      maxRssMB: process.resourceUsage().maxRSS / 1024,
      dumps: dumps.length,
      goroutines: d?.goroutineCount ?? 0,
      buckets: d?.buckets.length ?? 0,
      warnings: d?.warnings.length ?? 0,
    }),
  );
}

async function generate(file: string, goroutines: number, templates: number): Promise<void> {
  const out = createWriteStream(file);
  for (const piece of generateDump({ goroutines, templates, seed: 1 })) {
    if (!out.write(piece)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
}

function timeShell(cmd: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('sh', ['-c', cmd], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} failed`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function main(): Promise<void> {
  const file = arg('file', '/tmp/forensics-goroutines.txt');
  const childMode = arg('child', '');
  if (childMode) return child(file, childMode);
  const goroutines = Number(arg('goroutines', '100000'));
  if (!existsSync(file) || arg('regen', '') === '1') {
    const t0 = Date.now();
    await generate(file, goroutines, Number(arg('templates', '60')));
    console.log(`generated ${file} in ${Date.now() - t0} ms`);
  }
  const size = statSync(file).size;
  const mb = size / 1e6;
  console.log(`file: ${mb.toFixed(1)} MB, ${goroutines} goroutines requested; node ${process.version}`);
  timeShell(`cat '${file}' > /dev/null`); // warm the page cache
  const cat = timeShell(`cat '${file}' > /dev/null`);
  const wc = timeShell(`wc -l '${file}'`);
  console.log(`cat > /dev/null: ${cat.toFixed(0)} ms (${(mb / (cat / 1000)).toFixed(0)} MB/s)`);
  console.log(`wc -l:           ${wc.toFixed(0)} ms (${(mb / (wc / 1000)).toFixed(0)} MB/s)`);
  const self = fileURLToPath(import.meta.url);
  for (const mode of ['keep', 'buckets']) {
    const r = spawnSync(process.execPath, [...process.execArgv, self, '--file', file, '--child', mode], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (r.status !== 0) {
      console.log(`${mode}: failed: ${r.stderr}`);
      continue;
    }
    const res = JSON.parse(r.stdout) as { ms: number; maxRssMB: number; goroutines: number; buckets: number; warnings: number };
    console.log(
      `parse+bucket (${mode.padEnd(7)}): ${res.ms.toFixed(0)} ms (${(mb / (res.ms / 1000)).toFixed(0)} MB/s, ` +
        `${(res.ms / wc).toFixed(1)}x wc -l), peak RSS ${res.maxRssMB.toFixed(0)} MB (${(res.maxRssMB / mb).toFixed(2)}x file), ` +
        `${res.goroutines} goroutines, ${res.buckets} buckets, ${res.warnings} warnings`,
    );
  }
}

await main();
