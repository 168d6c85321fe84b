import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type AjvModule from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';

let validator: ValidateFunction | undefined;

/**
 * ajv, loaded on first validation: the built-in pack is validated when the package is built, so a run
 * without user rule files never needs it (loading it and compiling the schema takes tens of ms).
 * ajv is CommonJS: its module object is the Ajv class.
 */
function newAjv(): InstanceType<typeof AjvModule.default> {
  const Ajv = createRequire(import.meta.url)('ajv') as typeof AjvModule.default;
  // verbose: errors carry the offending value and schema, for "got a string" and "did you mean".
  return new Ajv({ allErrors: true, strict: false, verbose: true });
}

/** The JSON Schema of rule files (schemas/rules.schema.json), as published in the package. */
export function rulesSchema(): object {
  return JSON.parse(readFileSync(schemaPath('rules.schema.json'), 'utf8')) as object;
}

/** Finds a file of the package's `schemas/` folder from both `src/` and `dist/`. */
export function schemaPath(name: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return join(here, '..', '..', 'schemas', name);
}

export interface SchemaProblem {
  /** JSON pointer inside the file, e.g. `/rules/2/steps/1`. */
  path: string;
  message: string;
}

/** Validates a parsed rule file against the schema; problems come as human sentences. */
export function validateRuleFile(doc: unknown): SchemaProblem[] {
  validator ??= newAjv().compile(rulesSchema());
  if (validator(doc)) return [];
  return humanize(validator.errors ?? [], doc);
}

/**
 * ajv reports every branch of `oneOf`/`if` it tried; a person wants the deepest, most specific
 * problem per place, in words.
 */
function humanize(errors: ErrorObject[], doc: unknown): SchemaProblem[] {
  const useful = errors.filter((e) => !['oneOf', 'if', 'allOf', 'anyOf'].includes(e.keyword));
  // Keep only errors at the deepest paths: shallower ones are consequences of the same mistake.
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of useful) {
    const list = byPath.get(e.instancePath) ?? [];
    list.push(e);
    byPath.set(e.instancePath, list);
  }
  const paths = [...byPath.keys()];
  const deepest = paths.filter((p) => !paths.some((q) => q !== p && q.startsWith(`${p}/`)));
  const out: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const p of deepest.sort()) {
    const here = byPath.get(p) ?? [];
    // A misspelt field is one mistake, not two: drop "missing title" when "titel" was given.
    const meant = new Set(here.filter((e) => e.keyword === 'additionalProperties').map((e) => closest(String((e.params as Record<string, unknown>).additionalProperty), knownFields(e.parentSchema))));
    for (const e of here) {
      if (e.keyword === 'required' && meant.has(String((e.params as Record<string, unknown>).missingProperty))) continue;
      const message = sentence(e, doc);
      const key = `${p}\0${message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ path: p || '/', message });
    }
  }
  return out;
}

function sentence(e: ErrorObject, _doc: unknown): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `missing required field "${String(p.missingProperty)}"`;
    case 'additionalProperties': {
      const name = String(p.additionalProperty);
      const known = knownFields(e.parentSchema);
      const near = closest(name, known);
      return `unknown field "${name}"${near ? ` (did you mean "${near}"?)` : known.length > 0 && known.length <= 12 ? ` (known fields: ${known.join(', ')})` : ''}`;
    }
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'type':
      return `must be ${aOrAn(String(p.type).replace(/,/g, ' or '))}${e.data === undefined ? '' : ` (got ${jsonType(e.data)})`}`;
    case 'pattern':
      return patternSentence(e.schemaPath, String(p.pattern));
    case 'minItems':
      return `needs at least ${String(p.limit)} item(s)`;
    case 'minLength':
      return p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters long`;
    case 'minimum':
      return `must be ${String(p.limit)} or more`;
    default:
      return e.message ?? `is not valid (${e.keyword})`;
  }
}

function patternSentence(schemaPath: string, pattern: string): string {
  if (schemaPath.includes('duration')) return 'must be a duration such as 500ms, 10s, 5m, 2h or 1d';
  if (schemaPath.includes('/id/')) return 'must be a lowercase id (letters, digits, ".", "_" and "-")';
  if (schemaPath.includes('eventKind')) return 'must be an event kind such as iscsi.conn_error or finding:<rule-id>';
  return `must match ${pattern}`;
}

/** Field names a schema object allows: its `properties` and the names listed as `^(a|b|c)$` patterns. */
function knownFields(schema: unknown): string[] {
  const sc = (schema ?? {}) as { properties?: Record<string, unknown>; patternProperties?: Record<string, unknown> };
  const names = new Set(Object.keys(sc.properties ?? {}));
  for (const pat of Object.keys(sc.patternProperties ?? {})) {
    const m = /^\^\(([\w|-]+)\)\$$/.exec(pat);
    if (m) for (const n of m[1].split('|')) names.add(n);
  }
  return [...names].sort();
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

/** The known name a typo most likely meant (edit distance at most 2, or a prefix), if any. */
function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = k.startsWith(name) || name.startsWith(k) ? 1 : editDistance(name.toLowerCase(), k.toLowerCase(), bestD);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best;
}

/** Optimal string alignment distance (a transposition is one edit: "titel" -> "title"), capped. */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

function aOrAn(t: string): string {
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

/** Where the built-in rule pack lives (src/rules/pack, copied to dist/rules/pack by the build). */
export function builtinPackDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'pack');
}
