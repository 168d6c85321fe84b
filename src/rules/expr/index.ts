/**
 * The rule expression language: `msg ~ /detected conn error \((?<code>\d+)\)/ and ts - connErr.ts <= 10s`.
 *
 * Pipeline: tokens.ts (lexer) -> parser.ts (CstParser, syntax only) -> ast.ts (CST visitor) ->
 * typecheck.ts (types, names) -> compile.ts (closures). Errors at every stage are returned as data.
 */
import type { IToken } from 'chevrotain';
import { buildAst, type Node } from './ast.js';
import { compileNode, type Frame } from './compile.js';
import { exprParser, parseTokens } from './parser.js';
import { maximal, regexRequiredLiterals } from './regex.js';
import { exprLexer } from './tokens.js';
import { typecheck } from './typecheck.js';
import type { CompiledExpr, ExprDiagnostic, TypeEnv } from './types.js';

export type { CompiledExpr, ExprDiagnostic, ExprType, TypeEnv } from './types.js';
export { t, typeName } from './types.js';
export { parseDuration } from '../../time/duration.js';
export { regexRisk, regexRequiredLiterals } from './regex.js';

/** Result of {@link compileExpr}. */
export type CompileResult = { ok: true; expr: CompiledExpr } | { ok: false; errors: ExprDiagnostic[] };

const VALUE_END = new Set(['Identifier', 'Number', 'Duration', 'StringLit', 'RParen', 'RBracket', 'True', 'False', 'Null', 'RegexLit']);

function lexErrors(source: string, errors: { offset: number; length: number }[]): ExprDiagnostic[] {
  return errors.map((e) => {
    const ch = source[e.offset] ?? '';
    const column = e.offset + 1;
    if (ch === '"' || ch === "'") return { message: `unterminated string at column ${column}`, column, length: source.length - e.offset };
    const text = source.slice(e.offset, e.offset + e.length);
    let message = `unexpected ${text.length > 1 ? `characters '${text}'` : `character '${text}'`} at column ${column}`;
    if (ch === '=' ) message += " (use '==' to compare)";
    else if (ch === '&' || ch === '|') message += " (use 'and' / 'or')";
    else if (/\d/.test(ch)) message += ' (durations take a unit: ms, s, m, h, d)';
    return { message, column, length: e.length };
  });
}

function parseErrors(source: string, tokens: IToken[]): ExprDiagnostic[] {
  return exprParser.errors.map((e) => {
    const tok = e.token;
    const prev = (e as { previousToken?: IToken }).previousToken;
    let offset: number;
    if (tok.tokenType.name !== 'EOF' && !Number.isNaN(tok.startOffset)) offset = tok.startOffset;
    else {
      const last = prev !== undefined && !Number.isNaN(prev.startOffset) ? prev : tokens[tokens.length - 1];
      offset = last !== undefined ? last.startOffset + last.image.length : source.length;
    }
    // A `/` where a value must start is a regex without its closing slash.
    if (tok.tokenType.name === 'Slash' && (prev === undefined || !VALUE_END.has(prev.tokenType.name))) {
      return { message: `unterminated regex at column ${offset + 1} (a regex is /.../flags; escape / inside as \\/)`, column: offset + 1, length: source.length - offset };
    }
    const length = tok.tokenType.name === 'EOF' || Number.isNaN(tok.startOffset) ? 1 : tok.image.length;
    return { message: `${e.message} at column ${offset + 1}`, column: offset + 1, length };
  });
}

/** Nesting limit for brackets and parentheses: far beyond real rules, far below the stack limit. */
const MAX_NESTING = 64;

function nestingError(tokens: IToken[]): ExprDiagnostic | null {
  let depth = 0;
  for (const tk of tokens) {
    const name = tk.tokenType.name;
    if (name === 'LParen' || name === 'LBracket') {
      if (++depth > MAX_NESTING) {
        return { message: `expression is nested too deeply (more than ${MAX_NESTING} levels) at column ${tk.startOffset + 1}`, column: tk.startOffset + 1, length: 1 };
      }
    } else if (name === 'RParen' || name === 'RBracket') depth--;
  }
  return null;
}

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
  const lexed = exprLexer.tokenize(source);
  if (lexed.errors.length > 0) return { ok: false, errors: lexErrors(source, lexed.errors) };
  if (lexed.tokens.length === 0) return { ok: false, errors: [{ message: 'empty expression', column: 1, length: Math.max(1, source.length) }] };
  const tooDeep = nestingError(lexed.tokens);
  if (tooDeep !== null) return { ok: false, errors: [tooDeep] };
  const cst = parseTokens(lexed.tokens);
  if (exprParser.errors.length > 0) return { ok: false, errors: parseErrors(source, lexed.tokens) };
  const errors: ExprDiagnostic[] = [];
  const ast = buildAst(cst, errors);
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
