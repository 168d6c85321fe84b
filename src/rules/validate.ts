import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';

// ajv is CommonJS: under NodeNext its default export is the module object.
const Ajv = AjvModule as unknown as typeof AjvModule.default;

let validator: ValidateFunction | undefined;

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
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(rulesSchema());
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
    for (const e of byPath.get(p) ?? []) {
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
    case 'additionalProperties':
      return `unknown field "${String(p.additionalProperty)}"`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'type':
      return `must be ${aOrAn(String(p.type))}`;
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

function aOrAn(t: string): string {
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

/** Where the built-in rule pack lives (src/rules/pack, copied to dist/rules/pack by the build). */
export function builtinPackDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), 'pack');
}
