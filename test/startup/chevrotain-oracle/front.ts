/**
 * The rule expression front end as it was with chevrotain (lexer, CstParser, CST visitor), kept as the
 * reference the hand-written front end in src/rules/expr/syntax.ts is compared against. The code of
 * tokens.ts, parser.ts and ast.ts is the former src/rules/expr version; the functions below are the former
 * lexErrors, parseErrors and nestingError of src/rules/expr/index.ts.
 */
import type { IToken } from 'chevrotain';
import { buildAst, type Node } from './ast.js';
import { exprParser, parseTokens } from './parser.js';
import { exprLexer } from './tokens.js';
import type { ExprDiagnostic } from '../../../src/rules/expr/types.js';

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
    if (tok.tokenType.name === 'Slash' && (prev === undefined || !VALUE_END.has(prev.tokenType.name))) {
      return { message: `unterminated regex at column ${offset + 1} (a regex is /.../flags; escape / inside as \\/)`, column: offset + 1, length: source.length - offset };
    }
    const length = tok.tokenType.name === 'EOF' || Number.isNaN(tok.startOffset) ? 1 : tok.image.length;
    return { message: `${e.message} at column ${offset + 1}`, column: offset + 1, length };
  });
}

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

/** Tokens as the old lexer produced them: kind (token type name), image, offset, regex payload. */
export function oracleTokens(source: string): { tokens: Array<{ kind: string; image: string; s: number; payload?: unknown }>; errors: { offset: number; length: number }[] } {
  const lexed = exprLexer.tokenize(source);
  return {
    tokens: lexed.tokens.map((t) => ({ kind: t.tokenType.name, image: t.image, s: t.startOffset, ...(t.payload !== undefined ? { payload: t.payload } : {}) })),
    errors: lexed.errors.map((e) => ({ offset: e.offset, length: e.length })),
  };
}

/** The former compileUnguarded up to the AST: syntax errors (fatal) or the AST plus string-escape errors. */
export function oracleParse(source: string): { ok: true; ast: Node; errors: ExprDiagnostic[] } | { ok: false; errors: ExprDiagnostic[] } {
  const lexed = exprLexer.tokenize(source);
  if (lexed.errors.length > 0) return { ok: false, errors: lexErrors(source, lexed.errors) };
  if (lexed.tokens.length === 0) return { ok: false, errors: [{ message: 'empty expression', column: 1, length: Math.max(1, source.length) }] };
  const tooDeep = nestingError(lexed.tokens);
  if (tooDeep !== null) return { ok: false, errors: [tooDeep] };
  const cst = parseTokens(lexed.tokens);
  if (exprParser.errors.length > 0) return { ok: false, errors: parseErrors(source, lexed.tokens) };
  const errors: ExprDiagnostic[] = [];
  const ast = buildAst(cst, errors);
  return { ok: true, ast, errors };
}
