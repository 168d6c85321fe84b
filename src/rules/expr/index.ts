/**
 * The rule expression language: `msg ~ /detected conn error \((?<code>\d+)\)/ and ts - connErr.ts <= 10s`.
 *
 * Pipeline: parse.ts (tokens.ts: chevrotain lexer -> parser.ts: CstParser, syntax only -> ast.ts: CST
 * visitor) -> typecheck.ts (types, names) -> compile.ts (closures). Errors at every stage are returned as
 * data.
 */
import type { Node } from './ast.js';
import { compileNode, type Frame } from './compile.js';
import { maximal, regexRequiredLiterals } from './regex.js';
import { parseExpr } from './parse.js';
import { typecheck } from './typecheck.js';
import type { CompiledExpr, ExprDiagnostic, TypeEnv } from './types.js';

export type { CompiledExpr, ExprDiagnostic, ExprType, TypeEnv } from './types.js';
export { t, typeName } from './types.js';
export { parseDuration } from '../../time/duration.js';
export { regexRisk, regexRequiredLiterals } from './regex.js';
export { addPrebuiltAsts, parseExpr, prepareParse, type ParseResult } from './parse.js';
export type { Node as ExprNode } from './ast.js';

/** Result of {@link compileExpr}. */
export type CompileResult = { ok: true; expr: CompiledExpr } | { ok: false; errors: ExprDiagnostic[] };

function isPath(n: Node): boolean {
  return n.k === 'name' || n.k === 'field' || (n.k === 'index' && isPath(n.obj));
}

/** Literals every match needs: from contains/startsWith/endsWith with a literal, and regexes, under `and` (and inside any()). */
function requiredLiterals(n: Node): string[] {
  switch (n.k) {
    case 'bin':
      if (n.op === 'and') return [...requiredLiterals(n.l), ...requiredLiterals(n.r)];
      if ((n.op === 'contains' || n.op === 'startsWith' || n.op === 'endsWith') && isPath(n.l) && n.l.type?.kind !== 'list' && n.l.type?.kind !== 'map') {
        return n.r.k === 'lit' && typeof n.r.v === 'string' ? [n.r.v] : [];
      }
      if (n.op === '~' && isPath(n.l) && n.r.k === 'regex') return regexRequiredLiterals(n.r.body, n.r.flags);
      return [];
    case 'call':
      if (n.fn === 'any' && n.args[1]?.k === 'lambda') return requiredLiterals(n.args[1].body);
      return [];
    default:
      return [];
  }
}

/**
 * Parses, type-checks and compiles an expression against the names in `env`.
 * Never throws: lex, parse, name, type and regex errors come back as {@link ExprDiagnostic}s with 1-based columns.
 */
export function compileExpr(source: string, env: TypeEnv): CompileResult {
  try {
    return compileUnguarded(source, env);
  } catch (e) {
    // Only reachable on pathological input, e.g. thousands of nested parentheses overflowing the stack.
    const why = e instanceof RangeError ? 'expression is nested too deeply' : `internal error: ${(e as Error).message}`;
    return { ok: false, errors: [{ message: why, column: 1, length: Math.max(1, source.length) }] };
  }
}

function compileUnguarded(source: string, env: TypeEnv): CompileResult {
  const parsed = parseExpr(source);
  if (!parsed.ok) return parsed;
  const { ast } = parsed;
  const errors: ExprDiagnostic[] = [...parsed.errors];
  const checked = typecheck(ast, env, source);
  errors.push(...checked.errors);
  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.column - b.column) };
  const fn = compileNode(ast);
  const frame: Frame = { scope: {}, captures: undefined, locals: new Array<unknown>(checked.slots).fill(null) };
  const expr: CompiledExpr = {
    source,
    type: checked.type,
    reads: checked.reads,
    requiredLiterals: maximal(requiredLiterals(ast)),
    evaluate(scope, captures) {
      frame.scope = scope;
      frame.captures = captures;
      try {
        return fn(frame);
      } catch {
        // Defensive only: the closures check types themselves (e.g. getters on exotic scope objects may throw).
        return null;
      } finally {
        frame.scope = EMPTY_SCOPE;
        frame.captures = undefined;
      }
    },
  };
  return { ok: true, expr };
}

const EMPTY_SCOPE: object = {};

/** `column 12: message` followed by the source and a caret line, for CLI output. */
export function formatDiagnostic(source: string, d: ExprDiagnostic): string {
  const caret = ' '.repeat(Math.max(0, d.column - 1)) + '^'.repeat(Math.max(1, Math.min(d.length, source.length - d.column + 2)));
  return `column ${d.column}: ${d.message}\n  ${source}\n  ${caret}`;
}
