/**
 * Bench log generator CLI.
 *
 *   npx tsx tools/loggen/cli.ts --size 2G --out /tmp/x [--seed 1] [--gzip] [--layout folder|single]
 *     [--every 50000] [--tz Australia/Brisbane]
 *
 * Prints a JSON summary (files, bytes, lines, planted signature counts, MB/s) on stdout.
 */
import { Command } from 'commander';
import { generateBenchLogs } from './generate.js';

/** Parses `2G`, `500M`, `64k`, `1048576` into bytes. */
export function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(s.trim());
  if (!m) throw new Error(`bad size: ${s}`);
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[(m[2] ?? '').toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.round(Number(m[1]) * mult);
}

const program = new Command()
  .name('loggen')
  .description('Writes realistic multi-host Kubernetes/Linux logs with planted incident signatures.')
  .requiredOption('--size <size>', 'total uncompressed size, e.g. 2G, 500M')
  .requiredOption('--out <dir>', 'output folder')
  .option('--seed <n>', 'PRNG seed', '1')
  .option('--gzip', 'gzip every file', false)
  .option('--layout <layout>', 'folder | single', 'folder')
  .option('--every <n>', 'one signature line about every n lines', '50000')
  .option('--tz <zone>', 'zone of zone-less formats', 'Australia/Brisbane');

program.parse();
const o = program.opts<{ size: string; out: string; seed: string; gzip: boolean; layout: string; every: string; tz: string }>();
if (o.layout !== 'folder' && o.layout !== 'single') {
  console.error(`--layout must be folder or single, not ${o.layout}`);
  process.exit(2);
}
const res = await generateBenchLogs({
  dir: o.out,
  sizeBytes: parseSize(o.size),
  seed: Number(o.seed),
  gzip: o.gzip,
  layout: o.layout,
  signatureEvery: Number(o.every),
  tz: o.tz,
});
const mbps = res.bytes / 1e6 / (res.elapsedMs / 1000);
console.log(
  JSON.stringify(
    { files: res.files, bytes: res.bytes, lines: res.lines, signatures: res.signatures, planted: res.planted.length, elapsedMs: res.elapsedMs, MBps: Math.round(mbps) },
    null,
    2,
  ),
);
