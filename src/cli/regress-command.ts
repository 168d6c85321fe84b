import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { regress, toJUnit } from '../index.js';

/** `forensics regress <corpus>`: replay recorded incidents and fail on any regression. */
export function regressCommand(useColor: (flag: boolean) => boolean): Command {
  return new Command('regress')
    .description('run every recorded incident of a corpus and compare with its expected.json')
    .argument('<corpus>', 'folder of incidents (each with expected.json), or one incident folder')
    .option('--junit <file>', 'also write JUnit XML for CI systems')
    .option('--update', 'rewrite expected.json from the current findings, showing what changed')
    .option('--rules <path>', 'extra rule file or folder (repeatable)', (v: string, p: string[]) => [...p, v], [])
    .option('--no-color', 'no colours')
    .action(async (corpus: string, opts: { junit?: string; update?: boolean; rules: string[]; color: boolean }) => {
      const { default: pc } = await import('picocolors');
      const c = pc.createColors(useColor(opts.color));
      const results = await regress(corpus, { update: opts.update, rules: opts.rules });
      for (const r of results) {
        const mark = r.ok ? c.green('✓') : c.red('✗');
        process.stdout.write(`${mark} ${r.name}  ${r.findings.length} finding(s), ${r.seconds.toFixed(2)} s\n`);
        if (r.error) process.stdout.write(`    error: ${r.error}\n`);
        for (const d of r.differences) process.stdout.write(`    ${d.kind === 'unexpected' ? c.red('+') : c.yellow('-')} ${d.message}\n`);
        for (const u of r.updated ?? []) process.stdout.write(`    ${c.cyan('updated')} ${u}\n`);
      }
      const failed = results.filter((r) => !r.ok).length;
      process.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
      if (opts.junit) await writeFile(opts.junit, toJUnit(results));
      if (results.length === 0) {
        process.stderr.write(`forensics: no incident (folder with expected.json) under ${corpus}\n`);
        process.exitCode = 2;
      } else if (failed > 0) process.exitCode = 1;
    });
}
