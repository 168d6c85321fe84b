import { Command } from 'commander';
import { checkRules, formatDiagnostic, loadRules, readRuleFiles, testRules } from '../index.js';

/** `forensics rules list|check`: tooling for rule authors. */
export function rulesCommand(): Command {
  const rules = new Command('rules').description('list and check correlation rules');
  rules
    .command('list')
    .description('id, kind, severity and title of every rule (built-in and --rules)')
    .option('--rules <path>', 'extra rule file or folder (repeatable)', (v: string, p: string[]) => [...p, v], [])
    .action(async (opts: { rules: string[] }) => {
      const src = await readRuleFiles(opts.rules);
      for (const { rule } of src.rules) {
        const sev = 'severity' in rule ? rule.severity : '';
        const title = 'title' in rule && rule.title ? rule.title : '';
        process.stdout.write(`${rule.id.padEnd(34)} ${rule.kind.padEnd(10)} ${String(sev).padEnd(8)} ${title}\n`);
      }
      for (const d of src.diagnostics) process.stderr.write(`forensics: ${formatDiagnostic(d)}\n`);
      if (src.diagnostics.some((d) => d.severity === 'error')) process.exitCode = 2;
    });
  rules
    .command('check')
    .description('validate rule files: schema, references, windows, regexes')
    .argument('<paths...>', 'rule files or folders')
    .action(async (paths: string[]) => {
      // Checked together with the built-in pack, whose events and findings user rules may use.
      const src = await readRuleFiles(paths);
      const diags = [...src.diagnostics, ...checkRules(src.rules)].filter((d) => !d.file.startsWith('builtin:') || d.severity === 'error');
      for (const d of diags) process.stdout.write(`${formatDiagnostic(d)}\n`);
      const errors = diags.filter((d) => d.severity === 'error').length;
      const user = src.rules.filter((r) => !r.file.startsWith('builtin:')).length;
      process.stdout.write(`${user} rule(s) checked: ${errors} error(s), ${diags.length - errors} warning(s)\n`);
      if (errors > 0) process.exitCode = 1;
    });
  rules
    .command('test')
    .description("run every rule's embedded examples and the boundary cases derived from its windows")
    .option('--rules <path>', 'extra rule file or folder (repeatable)', (v: string, p: string[]) => [...p, v], [])
    .option('--no-builtin-rules', 'test only the --rules files')
    .action(async (opts: { rules: string[]; builtinRules: boolean }) => {
      const loaded = await loadRules(opts.rules, { builtin: opts.builtinRules });
      const results = await testRules(loaded);
      let failed = 0;
      for (const r of results) {
        if (!r.ok) {
          failed++;
          process.stdout.write(`FAIL ${r.rule} ${r.name}: ${r.message ?? ''} (${r.file})\n`);
        }
      }
      process.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
      if (failed > 0) process.exitCode = 1;
    });
  return rules;
}
