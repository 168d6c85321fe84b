/**
 * Source text -> AST: tokens.ts (lexer) -> parser.ts (CstParser, syntax only) -> ast.ts (CST visitor),
 * with chevrotain's errors turned into diagnostics with 1-based columns.
 *
 * Start-up: nothing of chevrotain is loaded or built until the first parse, which then costs ~25 ms
 * (~10 ms to load the runtime, ~13 ms to build the lexer and parser without chevrotain's definition
 * checks). Expressions whose AST was computed when the package was built (the built-in pack's, see
 * {@link addPrebuiltAsts}) are not parsed at all.
 */
import type { IToken } from 'chevrotain';
import { createAstBuilder, type AstBuilder, type Node } from './ast.js';
import { canLoadSynchronously, chevrotain, preloadChevrotain } from './chevrotain.js';
import { createParser, parseTokens, type ExprParser } from './parser.js';
import { createLexer, defineTokens, type ExprLexer } from './tokens.js';
import type { ExprDiagnostic } from './types.js';

/** Result of {@link parseExpr}: syntax errors are fatal; string escape errors come with the AST. */
export type ParseResult = { ok: true; ast: Node; errors: ExprDiagnostic[] } | { ok: false; errors: ExprDiagnostic[] };

const VALUE_END = new Set(['Identifier', 'Number', 'Duration', 'StringLit', 'RParen', 'RBracket', 'True', 'False', 'Null', 'RegexLit']);

function lexErrors(source: string, errors: { offset: number; length: number }[]): ExprDiagnostic[] {
  return errors.map((e) => {
    const ch = source[e.offset] ?? '';
    const column = e.offset + 1;
    if (ch === '"' || ch === "'") return { message: `unterminated string at column ${column}`, column, length: source.length - e.offset };
    const text = source.slice(e.offset, e.offset + e.length);
    let message = `unexpected ${text.length > 1 ? `characters '${text}'` : `character '${text}'`} at column ${column}`;
    if (ch === '=') message += " (use '==' to compare)";
    else if (ch === '&' || ch === '|') message += " (use 'and' / 'or')";
    else if (/\d/.test(ch)) message += ' (durations take a unit: ms, s, m, h, d)';
    return { message, column, length: e.length };
  });
}

function parseErrors(source: string, parser: ExprParser, tokens: IToken[]): ExprDiagnostic[] {
  return parser.errors.map((e) => {
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

/** Options of {@link createSyntax}. */
export interface SyntaxOptions {
  /**
   * Run chevrotain's checks of the token definitions and the grammar (and of the CST visitor) while
   * building; they throw on a faulty definition. Off at run time (they cost ~6 ms more per process);
   * the tests build the front end with them.
   */
  validate?: boolean;
}

/** A lexer, parser and CST visitor built together: a function from source text to {@link ParseResult}. */
export function createSyntax(options: SyntaxOptions = {}): (source: string) => ParseResult {
  const validate = options.validate === true;
  const runtime = chevrotain();
  const tokens = defineTokens(runtime);
  const lexer: ExprLexer = createLexer(runtime, tokens, validate);
  const parser = createParser(runtime, tokens, validate);
  const buildAst: AstBuilder = createAstBuilder(parser, validate);
  return (source) => {
    const lexed = lexer.tokenize(source);
    if (lexed.errors.length > 0) return { ok: false, errors: lexErrors(source, lexed.errors) };
    if (lexed.tokens.length === 0) return { ok: false, errors: [{ message: 'empty expression', column: 1, length: Math.max(1, source.length) }] };
    const tooDeep = nestingError(lexed.tokens);
    if (tooDeep !== null) return { ok: false, errors: [tooDeep] };
    const cst = parseTokens(parser, lexed.tokens);
    if (parser.errors.length > 0) return { ok: false, errors: parseErrors(source, parser, lexed.tokens) };
    const errors: ExprDiagnostic[] = [];
    const ast = buildAst(cst, errors);
    return { ok: true, ast, errors };
  };
}

let syntax: ((source: string) => ParseResult) | undefined;

/** ASTs computed when the package was built, by source text. Never handed out: the type checker annotates what it gets. */
const prebuilt = new Map<string, Node>();

/**
 * Makes {@link parseExpr} answer these sources with these ASTs (clones of them) instead of parsing.
 * For ASTs that {@link parseExpr} returned without errors for the same source, e.g. in the build, which
 * stores those of the built-in pack (dist/rules/builtin-pack.json).
 */
export function addPrebuiltAsts(entries: Iterable<readonly [source: string, ast: Node]>): void {
  for (const [source, ast] of entries) prebuilt.set(source, ast);
}

/**
 * Makes sure {@link parseExpr} can parse these sources in this thread: where chevrotain cannot be loaded
 * on demand (Node before 20.19, see chevrotain.ts), imports it now unless every source has a pre-built AST.
 */
export async function prepareParse(sources: Iterable<string>): Promise<void> {
  if (canLoadSynchronously()) return;
  for (const source of sources) if (!prebuilt.has(source)) return preloadChevrotain();
}

/** Parses an expression into its AST (lexer and parser are built on the first call). */
export function parseExpr(source: string): ParseResult {
  const known = prebuilt.get(source);
  if (known !== undefined) return { ok: true, ast: structuredClone(known), errors: [] };
  return (syntax ??= createSyntax())(source);
}
