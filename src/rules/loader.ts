import { readFile, stat } from 'node:fs/promises';
import { basename, extname, relative } from 'node:path';
import fg from 'fast-glob';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { RuleError, type RuleDiagnostic } from '../model/errors.js';
import type { LoadedRule, Rule } from './types.js';
import { builtinPackDir, validateRuleFile } from './validate.js';
import { checkRules } from './check.js';

export interface LoadRulesOptions {
  /** Include the built-in pack (default true). */
  builtin?: boolean;
}

/** Rules read from files, before compilation. */
export interface RuleSource {
  rules: LoadedRule[];
  diagnostics: RuleDiagnostic[];
}

/** Reads rule files (YAML or JSON) from files and folders and validates them against the schema. */
export async function readRuleFiles(paths: readonly string[], options: LoadRulesOptions = {}): Promise<RuleSource> {
  const files: Array<{ abs: string; shown: string }> = [];
  const diagnostics: RuleDiagnostic[] = [];
  if (options.builtin !== false) {
    const dir = builtinPackDir();
    for (const abs of (await fg('**/*.{yaml,yml,json}', { cwd: dir, absolute: true })).sort()) {
      files.push({ abs, shown: `builtin:${relative(dir, abs)}` });
    }
  }
  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch {
      diagnostics.push({ file: p, severity: 'error', message: 'no such rule file or folder' });
      continue;
    }
    if (st.isDirectory()) {
      const found = (await fg('**/*.{yaml,yml,json}', { cwd: p, absolute: true })).sort();
      if (found.length === 0) diagnostics.push({ file: p, severity: 'warning', message: 'folder has no .yaml, .yml or .json rule files' });
      for (const abs of found) files.push({ abs, shown: relative(process.cwd(), abs) || basename(abs) });
    } else {
      files.push({ abs: p, shown: p });
    }
  }
  const rules: LoadedRule[] = [];
  for (const f of files) {
    const text = await readFile(f.abs, 'utf8');
    const parsed = parseRuleText(text, f.shown, extname(f.abs) === '.json');
    diagnostics.push(...parsed.diagnostics);
    rules.push(...parsed.rules);
  }
  return { rules, diagnostics };
}

/** Parses and schema-checks the text of one rule file. */
export function parseRuleText(text: string, file: string, json = false): RuleSource {
  let doc: unknown;
  try {
    doc = json ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? ` (line ${err.linePos[0].line}, column ${err.linePos[0].col})` : '';
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { rules: [], diagnostics: [{ file, severity: 'error', message: `not valid ${json ? 'JSON' : 'YAML'}${where}: ${msg}` }] };
  }
  const base = Array.isArray(doc) ? '' : doc && typeof doc === 'object' && 'rules' in doc ? '/rules' : null;
  const list: unknown[] = Array.isArray(doc) ? doc : base === '/rules' ? ((doc as { rules: unknown[] }).rules ?? []) : [doc];
  const problems = validateRuleFile(doc);
  const diagnostics: RuleDiagnostic[] = problems.map((p) => ({
    file,
    rule: ruleIdAt(list, base, p.path),
    path: p.path,
    severity: 'error',
    message: p.message,
  }));
  if (diagnostics.length > 0) return { rules: [], diagnostics };
  const rules = list.map((r, i) => ({ rule: r as Rule, file, path: base === null ? '' : `${base}/${i}` }));
  return { rules, diagnostics };
}

function ruleIdAt(list: unknown[], base: string | null, path: string): string | undefined {
  const m = base === null ? null : new RegExp(`^${base}/(\\d+)`).exec(path);
  const r = base === null ? list[0] : m ? list[Number(m[1])] : undefined;
  const id = r && typeof r === 'object' ? (r as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : undefined;
}

/** Reads, validates and checks rules; throws a {@link RuleError} listing every error found. */
export async function loadRules(paths: readonly string[] = [], options: LoadRulesOptions = {}): Promise<LoadedRule[]> {
  const src = await readRuleFiles(paths, options);
  const diagnostics = [...src.diagnostics, ...checkRules(src.rules)];
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new RuleError(errors);
  return src.rules;
}
