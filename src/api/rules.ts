import type { RuleDiagnostic } from '../model/errors.js';
import { checkRules } from '../rules/check.js';
import { readRuleFiles, type LoadRulesOptions } from '../rules/loader.js';

/** Result of {@link checkRuleFiles}. */
export interface RuleCheckResult {
  /** Problems found: schema, references, windows, regexes (the built-in pack's warnings left out). */
  diagnostics: RuleDiagnostic[];
  /** Number of rules read from the given files (the built-in pack not counted). */
  checked: number;
  errors: number;
  warnings: number;
}

/**
 * Validates rule files exactly as `forensics rules check` does: together with the built-in pack
 * (whose events and findings user rules may use), reporting every problem with file, rule id,
 * JSON path and column. Never throws for bad rules; see `errors`.
 *
 * @example
 * ```ts
 * const r = await checkRuleFiles(['rules/my-team.yaml']);
 * for (const d of r.diagnostics) console.log(formatDiagnostic(d));
 * ```
 */
export async function checkRuleFiles(paths: readonly string[], options: LoadRulesOptions = {}): Promise<RuleCheckResult> {
  const src = await readRuleFiles(paths, options);
  const diagnostics = [...src.diagnostics, ...checkRules(src.rules)].filter((d) => !d.file.startsWith('builtin:') || d.severity === 'error');
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return {
    diagnostics,
    checked: src.rules.filter((r) => !r.file.startsWith('builtin:')).length,
    errors,
    warnings: diagnostics.length - errors,
  };
}
