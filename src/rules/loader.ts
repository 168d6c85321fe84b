import { readdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuleError, type RuleDiagnostic } from '../model/errors.js';
import type { LoadedRule, Rule } from './types.js';
import { builtinPackDir, validateRuleFile } from './validate.js';
import { checkRules } from './check.js';
import { addPrebuiltAsts, parseExpr, prepareParse, type ExprNode } from './expr/index.js';
import { whereSources } from './where.js';

type Yaml = typeof import('yaml');
let yamlModule: Yaml | undefined;

/** The YAML parser, loaded on first use (CommonJS, so synchronously): the built-in pack needs none at run time. */
function yaml(): Yaml {
  return (yamlModule ??= createRequire(import.meta.url)('yaml') as Yaml);
}

const RULE_FILE = /^[^.].*\.(?:yaml|yml|json)$/;

/**
 * The rule files (.yaml, .yml, .json) under `dir`, recursively, sorted. A folder of plain files, such as
 * the built-in pack, is listed with one readdir; anything else (subfolders, links) goes through
 * fast-glob, loaded then.
 */
async function ruleFilesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  if (entries.every((e) => e.isFile())) return entries.filter((e) => RULE_FILE.test(e.name)).map((e) => join(dir, e.name)).sort();
  const { default: fg } = await import('fast-glob');
  return (await fg('**/*.{yaml,yml,json}', { cwd: dir, absolute: true })).sort();
}

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
  return (await readSources(paths, options)).src;
}

/**
 * {@link readRuleFiles}, plus the errors {@link loadRules} would find when the rules are exactly the
 * pre-built pack: every pack file as it was built, no other file, and the same JavaScript engine
 * (regex syntax and messages come from it).
 */
async function readSources(paths: readonly string[], options: LoadRulesOptions): Promise<{ src: RuleSource; checked?: RuleDiagnostic[] }> {
  const files: Array<{ abs: string; shown: string; builtin?: boolean }> = [];
  const diagnostics: RuleDiagnostic[] = [];
  let prebuilt: PrebuiltPack | undefined;
  if (options.builtin !== false) {
    const dir = builtinPackDir();
    for (const abs of await ruleFilesIn(dir)) {
      files.push({ abs, shown: `builtin:${relative(dir, abs)}`, builtin: true });
    }
    prebuilt = await readPrebuiltPack();
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
      const found = await ruleFilesIn(p);
      if (found.length === 0) diagnostics.push({ file: p, severity: 'warning', message: 'folder has no .yaml, .yml or .json rule files' });
      for (const abs of found) files.push({ abs, shown: relative(process.cwd(), abs) || basename(abs) });
    } else {
      files.push({ abs: p, shown: p });
    }
  }
  const parsed: Array<{ shown: string; source: RuleSource }> = [];
  let fromPrebuilt = 0;
  for (const f of files) {
    const text = await readFile(f.abs, 'utf8');
    const built = f.builtin && prebuilt ? prebuiltSource(prebuilt, f.shown, text) : undefined;
    if (built) fromPrebuilt++;
    parsed.push({ shown: f.shown, source: built ?? parseRuleText(text, f.shown, extname(f.abs) === '.json') });
  }
  const src = mergeSources(parsed, diagnostics);
  await prepareParse(whereSources(src.rules));
  const exact = prebuilt?.check && paths.length === 0 && files.length === fromPrebuilt && fromPrebuilt === prebuilt.files.size && prebuilt.check.v8 === process.versions.v8;
  return { src, checked: exact ? prebuilt!.check!.errors : undefined };
}

/** The rules of all files in order, with their macros and lists (a name defined twice is an error), macros expanded. */
function mergeSources(files: ReadonlyArray<{ shown: string; source: RuleSource }>, diagnostics: RuleDiagnostic[]): RuleSource {
  const rules: LoadedRule[] = [];
  const macros: NonNullable<RuleSource['macros']> = {};
  const lists: NonNullable<RuleSource['lists']> = {};
  for (const { shown, source: parsed } of files) {
    diagnostics.push(...parsed.diagnostics);
    rules.push(...parsed.rules);
    for (const [kind, from, into] of [['macro', parsed.macros, macros], ['list', parsed.lists, lists]] as const) {
      for (const [name, def] of Object.entries(from ?? {})) {
        if (name in into) diagnostics.push({ file: shown, path: `/${kind}s/${name}`, severity: 'error', message: `${kind} "${name}" is already defined in ${into[name].file}` });
        else (into as Record<string, unknown>)[name] = def;
      }
    }
  }
  diagnostics.push(...expandMacros(rules, macros, lists));
  return { rules, diagnostics, macros, lists };
}

/**
 * The built-in pack as {@link parseRuleText} returns it for each file, computed when the package is
 * built (scripts/copy-assets.mjs writes dist/rules/builtin-pack.json): a run then needs neither the
 * YAML parser nor the schema validator for it. An entry is used only for the file of the same name and
 * the same text, so an edited pack file is parsed and validated as before. `check` holds the errors
 * {@link loadRules} finds in the pack alone, and the V8 version that found them. `asts` holds the
 * syntax trees of the pack's `where` conditions (macros expanded), by text: the expression parser is
 * then neither loaded nor built for them (an AST depends on the text alone, so any `where` of the same
 * text may use it).
 */
interface PrebuiltFile {
  shown: string;
  /** The file's text when it was parsed. */
  text: string;
  source: RuleSource;
}

interface PrebuiltJson {
  format: 1;
  files: PrebuiltFile[];
  check?: { v8: string; errors: RuleDiagnostic[] };
  asts?: Array<[source: string, ast: ExprNode]>;
}

interface PrebuiltPack {
  files: Map<string, PrebuiltFile>;
  check?: PrebuiltJson['check'];
}

/** Where the pre-parsed pack is, next to the compiled loader (absent when running from the TypeScript sources). */
export function prebuiltPackPath(): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'builtin-pack.json');
}

async function readPrebuiltPack(): Promise<PrebuiltPack | undefined> {
  let text: string;
  try {
    text = await readFile(prebuiltPackPath(), 'utf8');
  } catch {
    return undefined;
  }
  try {
    // Parsed on every call: readRuleFiles hands out (and macro expansion edits) these objects.
    const doc = JSON.parse(text) as Partial<PrebuiltJson>;
    if (doc.format !== 1 || !Array.isArray(doc.files)) return undefined;
    if (Array.isArray(doc.asts)) addPrebuiltAsts(doc.asts);
    return { files: new Map(doc.files.map((f) => [f.shown, f])), check: doc.check };
  } catch {
    return undefined;
  }
}

function prebuiltSource(prebuilt: PrebuiltPack, shown: string, text: string): RuleSource | undefined {
  const entry = prebuilt.files.get(shown);
  return entry && entry.text === text ? entry.source : undefined;
}

/**
 * Build step: the content of dist/rules/builtin-pack.json for the pack files in `dir`. Files whose parse
 * result would not survive JSON unchanged (e.g. `.inf` in YAML) are left out and parsed at run time;
 * then there is no `check` either.
 */
export async function prebuildPack(dir: string = builtinPackDir()): Promise<PrebuiltJson> {
  const { isDeepStrictEqual } = await import('node:util');
  const files: PrebuiltFile[] = [];
  let complete = true;
  for (const abs of await ruleFilesIn(dir)) {
    const text = await readFile(abs, 'utf8');
    const shown = `builtin:${relative(dir, abs)}`;
    const source = parseRuleText(text, shown, extname(abs) === '.json');
    if (isDeepStrictEqual(JSON.parse(JSON.stringify(source)), source)) files.push({ shown, text, source });
    else complete = false;
  }
  // Merging expands macros in place: check copies, keep the files as parsed.
  const src = mergeSources(structuredClone(files.map((f) => ({ shown: f.shown, source: f.source }))), []);
  const asts = await prebuiltAsts(src.rules, isDeepStrictEqual);
  if (!complete) return { format: 1, files, asts };
  const errors = [...src.diagnostics, ...checkRules(src.rules)].filter((d) => d.severity === 'error');
  return { format: 1, files, check: { v8: process.versions.v8, errors }, asts };
}

/** The ASTs of the rules' `where` texts that parse without errors and survive JSON unchanged. */
async function prebuiltAsts(rules: readonly LoadedRule[], same: (a: unknown, b: unknown) => boolean): Promise<Array<[string, ExprNode]>> {
  const out = new Map<string, ExprNode>();
  const sources = whereSources(rules);
  await prepareParse(sources);
  for (const source of sources) {
    const parsed = parseExpr(source);
    if (parsed.ok && parsed.errors.length === 0 && same(JSON.parse(JSON.stringify(parsed.ast)), parsed.ast)) out.set(source, parsed.ast);
  }
  return [...out];
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
    doc = json ? JSON.parse(text) : yaml().parse(text, { prettyErrors: true });
  } catch (err) {
    const { parse: parseYaml, YAMLParseError } = yaml();
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
  const { src, checked } = await readSources(paths, options);
  const errors = checked ?? [...src.diagnostics, ...checkRules(src.rules)].filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new RuleError(errors);
  return src.rules;
}
