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
  /** `macros:` of the files, by name (shared by all files). */
  macros?: Record<string, { text: string; file: string }>;
  /** `lists:` of the files, by name. */
  lists?: Record<string, { values: Array<string | number>; file: string }>;
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
  const macros: NonNullable<RuleSource['macros']> = {};
  const lists: NonNullable<RuleSource['lists']> = {};
  for (const f of files) {
    const text = await readFile(f.abs, 'utf8');
    const parsed = parseRuleText(text, f.shown, extname(f.abs) === '.json');
    diagnostics.push(...parsed.diagnostics);
    rules.push(...parsed.rules);
    for (const [kind, from, into] of [['macro', parsed.macros, macros], ['list', parsed.lists, lists]] as const) {
      for (const [name, def] of Object.entries(from ?? {})) {
        if (name in into) diagnostics.push({ file: f.shown, path: `/${kind}s/${name}`, severity: 'error', message: `${kind} "${name}" is already defined in ${into[name].file}` });
        else (into as Record<string, unknown>)[name] = def;
      }
    }
  }
  diagnostics.push(...expandMacros(rules, macros, lists));
  return { rules, diagnostics, macros, lists };
}

const MACRO_REF = /\$([A-Za-z_][A-Za-z0-9_]*)/g;
const LIST_REF = /\blists\.([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * Expands `$macro` and `lists.name` inside every `where` (in place), before expressions are compiled.
 * Macros may use other macros (up to 8 levels); an unknown name is an error at the `where`.
 */
function expandMacros(rules: LoadedRule[], macros: NonNullable<RuleSource['macros']>, lists: NonNullable<RuleSource['lists']>): RuleDiagnostic[] {
  const out: RuleDiagnostic[] = [];
  const expand = (text: string, lr: LoadedRule, path: string): string => {
    let cur = text;
    for (let depth = 0; depth < 8 && MACRO_REF.test(cur); depth++) {
      MACRO_REF.lastIndex = 0;
      cur = cur.replace(MACRO_REF, (whole, name: string) => {
        const m = macros[name];
        if (!m) {
          out.push({ file: lr.file, rule: lr.rule.id, path, severity: 'error', message: `unknown macro $${name}${Object.keys(macros).length ? ` (known: ${Object.keys(macros).join(', ')})` : ''}` });
          return 'false';
        }
        return `(${m.text})`;
      });
    }
    MACRO_REF.lastIndex = 0;
    if (MACRO_REF.test(cur)) out.push({ file: lr.file, rule: lr.rule.id, path, severity: 'error', message: 'macros nest more than 8 levels deep (a macro that uses itself?)' });
    MACRO_REF.lastIndex = 0;
    return cur.replace(LIST_REF, (whole, name: string) => {
      const l = lists[name];
      if (!l) {
        out.push({ file: lr.file, rule: lr.rule.id, path, severity: 'error', message: `unknown list lists.${name}${Object.keys(lists).length ? ` (known: ${Object.keys(lists).join(', ')})` : ''}` });
        return '[]';
      }
      return JSON.stringify(l.values);
    });
  };
  for (const lr of rules) {
    const r = lr.rule as unknown as Record<string, unknown>;
    if (typeof r.where === 'string') r.where = expand(r.where, lr, `${lr.path}/where`);
    const steps: Array<[Record<string, unknown>, string]> = [];
    if (Array.isArray(r.steps)) (r.steps as Record<string, unknown>[]).forEach((st, i) => steps.push([st, `/steps/${i}`]));
    for (const k of ['step', 'trigger', 'missing']) if (r[k] && typeof r[k] === 'object') steps.push([r[k] as Record<string, unknown>, `/${k}`]);
    for (const [st, p] of steps) if (typeof st.where === 'string') st.where = expand(st.where, lr, `${lr.path}${p}/where`);
  }
  return out;
}

/** Parses and schema-checks the text of one rule file. */
export function parseRuleText(text: string, file: string, json = false): RuleSource {
  let doc: unknown;
  try {
    doc = json ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (err) {
    let where = err instanceof YAMLParseError && err.linePos ? ` (line ${err.linePos[0].line}, column ${err.linePos[0].col})` : '';
    // yaml repeats the position at the end of its message; JSON.parse gives only an offset.
    let msg = (err instanceof Error ? err.message.split('\n')[0] : String(err)).replace(/ at line \d+, column \d+:?$/, '').replace(/, ".*$/, '');
    if (json && !where) {
      // YAML 1.2 is a superset of JSON: its parser points at the line and column.
      try {
        parseYaml(text);
      } catch (yerr) {
        if (yerr instanceof YAMLParseError && yerr.linePos) where = ` (line ${yerr.linePos[0].line}, column ${yerr.linePos[0].col})`;
      }
    }
    const pos = json ? /at position (\d+)/.exec(msg) : null;
    if (pos) {
      const before = text.slice(0, Number(pos[1]));
      const line = before.split('\n').length;
      where = ` (line ${line}, column ${Number(pos[1]) - before.lastIndexOf('\n')})`;
      msg = msg.replace(/ (?:in JSON )?at position \d+.*$/, '');
    }
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
  const top = (base === '/rules' ? doc : {}) as { macros?: Record<string, string>; lists?: Record<string, Array<string | number>> };
  const macros = Object.fromEntries(Object.entries(top.macros ?? {}).map(([k, text]) => [k, { text, file }]));
  const lists = Object.fromEntries(Object.entries(top.lists ?? {}).map(([k, values]) => [k, { values, file }]));
  return { rules, diagnostics, macros, lists };
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
