// Run one custom rule file (without the built-in pack) on one log file, stage by stage.
//   node examples/custom-rule.mjs <rules.yaml> <logfile> [--year 2026] [--tz UTC]
import { checkRuleFiles, formatDiagnostic, ingest, loadRules, openInputs, runRules } from 'forensics';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const year = opt('--year');
const tz = opt('--tz');
const [ruleFile, logFile] = args;
if (!ruleFile || !logFile) {
  console.error('usage: custom-rule.mjs <rules.yaml> <logfile> [--year yyyy] [--tz zone]');
  process.exit(2);
}

// 1. Check the rule the way `forensics rules check` does (errors and warnings with file and path).
const check = await checkRuleFiles([ruleFile]);
for (const d of check.diagnostics) console.error(formatDiagnostic(d));
if (check.errors > 0) process.exit(1);

// 2. Load it alone, find the input, read it keeping what the rule's signatures classify.
const rules = await loadRules([ruleFile], { builtin: false });
const { inputs, skipped } = await openInputs([logFile]);
for (const s of skipped) console.error(`skipped ${s.path}: ${s.skipped}`);
const { store, coverage, inputs: read } = await ingest(inputs, rules, { year: year ? Number(year) : undefined, tz });
for (const i of read) console.log(`${i.path}: ${i.format}, ${i.lines} lines, ${store.size} classified events`);

// 3. Run the rule.
const { findings } = runRules(store, rules, { coverage });
for (const f of findings) {
  console.log(`[${f.severity}] ${f.title}`);
  for (const s of f.steps) console.log(`    ${s.time} ${s.file}:${s.line}  ${s.text}`);
}
console.log(`${findings.length} finding(s)`);
