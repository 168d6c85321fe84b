/**
 * Syntax of the rule expression language: a lexer and a recursive-descent parser that build the AST
 * (ast.ts) directly. No parser generator: nothing is built at start-up, a parse costs microseconds.
 *
 * ```
 * expression     := orExpr
 * orExpr         := andExpr ('or' andExpr)*
 * andExpr        := notExpr ('and' notExpr)*
 * notExpr        := 'not' notExpr | comparison
 * comparison     := additive ( (CompareOp | '~' | '!~' | StringOp | 'in' | 'not' 'in') additive )?
 * additive       := multiplicative (('+'|'-') multiplicative)*
 * multiplicative := unary (('*'|'/') unary)*
 * unary          := '-' unary | postfix
 * postfix        := atom ('.' Name | '[' expression ']')*
 * atom           := literal | list | '(' expression ')' | Identifier ('(' args? ')')?
 * list           := '[' (expression (',' expression)*)? ']'
 * args           := arg (',' arg)*
 * arg            := Identifier '->' expression | expression
 * ```
 *
 * The language was first parsed with chevrotain (an LL(k) CstParser without error recovery); this parser
 * takes the same decisions and reports the same first error with the same words, which
 * test/startup/expr-syntax.test.ts checks against that implementation.
 *
 * Lexing: at each position the token patterns are tried in a fixed order and the first that matches wins
 * (`->` before `-`, durations before numbers); a word is a keyword only when it is exactly the keyword.
 * A regex literal is only recognised where a value may start, so `/` after a value is always division.
 * Characters no pattern matches are skipped up to the next position where one does, as one error.
 */
import { parseDuration } from '../../time/duration.js';
import type { BinOp, Node } from './ast.js';
import type { ExprDiagnostic } from './types.js';

/** Token kinds (the names are those of the former chevrotain token types). */
export type TokenKind =
  | 'Arrow' | 'Eq' | 'Ne' | 'Le' | 'Ge' | 'Lt' | 'Gt' | 'NotMatch' | 'Match' | 'Plus' | 'Minus' | 'Star' | 'RegexLit' | 'Slash'
  | 'LParen' | 'RParen' | 'LBracket' | 'RBracket' | 'Comma' | 'Dot' | 'Duration' | 'Number' | 'StringLit'
  | 'Or' | 'And' | 'Not' | 'In' | 'Contains' | 'StartsWith' | 'EndsWith' | 'True' | 'False' | 'Null' | 'Identifier' | 'EOF';

export interface Token {
  kind: TokenKind;
  image: string;
  /** 0-based offset in the source (NaN for the end-of-input token). */
  s: number;
  /** `RegexLit` only. */
  payload?: { body: string; flags: string };
}

const EOF: Token = { kind: 'EOF', image: '', s: NaN };

/** Token kinds after which a value has just ended: a `/` there is division, not a regex. */
const VALUE_END = new Set<TokenKind>(['Identifier', 'Number', 'Duration', 'StringLit', 'RParen', 'RBracket', 'True', 'False', 'Null', 'RegexLit']);

const KEYWORDS = new Map<string, TokenKind>([
  ['or', 'Or'],
  ['and', 'And'],
  ['not', 'Not'],
  ['in', 'In'],
  ['contains', 'Contains'],
  ['startsWith', 'StartsWith'],
  ['endsWith', 'EndsWith'],
  ['true', 'True'],
  ['false', 'False'],
  ['null', 'Null'],
]);

// Linear: the three alternatives start with disjoint characters.
const REGEX_LIT = /\/((?:[^/\\\n[]|\\[^\n]|\[(?:[^\]\\\n]|\\[^\n])*\])+)\/([A-Za-z]*)/y;
const WHITESPACE = /[ \t\r\n]+/y;
const DURATION = /(?:\d+(?:\.\d+)?)(?:ms|us|µs|s|m|h|d)(?![A-Za-z0-9_$])/y;
const NUMBER = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![A-Za-z0-9_$.])/y;
const STRING = /"(?:[^"\\\n]|\\[^\n])*"|'(?:[^'\\\n]|\\[^\n])*'/y;
const WORD = /[A-Za-z_$][A-Za-z0-9_$]*/y;

function sticky(re: RegExp, text: string, at: number): string | null {
  re.lastIndex = at;
  const m = re.exec(text);
  return m === null ? null : m[0];
}

/**
 * The token at `at`, or null when no pattern matches there. `kind` undefined: white space (skipped).
 * Patterns in the order they are tried.
 */
function tokenAt(text: string, at: number, prev: Token | undefined): { kind: TokenKind | undefined; image: string; payload?: Token['payload'] } | null {
  const c = text[at]!;
  const c2 = text[at + 1];
  switch (c) {
    case ' ':
    case '\t':
    case '\r':
    case '\n':
      return { kind: undefined, image: sticky(WHITESPACE, text, at)! };
    case '-':
      return c2 === '>' ? { kind: 'Arrow', image: '->' } : { kind: 'Minus', image: '-' };
    case '=':
      return c2 === '=' ? { kind: 'Eq', image: '==' } : null;
    case '!':
      return c2 === '=' ? { kind: 'Ne', image: '!=' } : c2 === '~' ? { kind: 'NotMatch', image: '!~' } : null;
    case '<':
      return c2 === '=' ? { kind: 'Le', image: '<=' } : { kind: 'Lt', image: '<' };
    case '>':
      return c2 === '=' ? { kind: 'Ge', image: '>=' } : { kind: 'Gt', image: '>' };
    case '~':
      return { kind: 'Match', image: '~' };
    case '+':
      return { kind: 'Plus', image: '+' };
    case '*':
      return { kind: 'Star', image: '*' };
    case '/': {
      if (prev === undefined || !VALUE_END.has(prev.kind)) {
        REGEX_LIT.lastIndex = at;
        const m = REGEX_LIT.exec(text);
        if (m !== null) return { kind: 'RegexLit', image: m[0], payload: { body: m[1]!, flags: m[2]! } };
      }
      return { kind: 'Slash', image: '/' };
    }
    case '(':
      return { kind: 'LParen', image: '(' };
    case ')':
      return { kind: 'RParen', image: ')' };
    case '[':
      return { kind: 'LBracket', image: '[' };
    case ']':
      return { kind: 'RBracket', image: ']' };
    case ',':
      return { kind: 'Comma', image: ',' };
    case '.':
      return { kind: 'Dot', image: '.' };
    case '"':
    case "'": {
      const image = sticky(STRING, text, at);
      return image === null ? null : { kind: 'StringLit', image };
    }
    default:
      break;
  }
  if (c >= '0' && c <= '9') {
    let image = sticky(DURATION, text, at);
    if (image !== null) return { kind: 'Duration', image };
    image = sticky(NUMBER, text, at);
    return image === null ? null : { kind: 'Number', image };
  }
  const word = sticky(WORD, text, at);
  if (word === null) return null;
  return { kind: KEYWORDS.get(word) ?? 'Identifier', image: word };
}

/** Tokens of `source`, and the stretches of characters no token pattern matched (offset, length). */
export function tokenize(source: string): { tokens: Token[]; errors: Array<{ offset: number; length: number }> } {
  const tokens: Token[] = [];
  const errors: Array<{ offset: number; length: number }> = [];
  let at = 0;
  while (at < source.length) {
    const prev = tokens.length > 0 ? tokens[tokens.length - 1] : undefined;
    const tk = tokenAt(source, at, prev);
    if (tk !== null) {
      if (tk.kind !== undefined) tokens.push(tk.payload !== undefined ? { kind: tk.kind, image: tk.image, s: at, payload: tk.payload } : { kind: tk.kind, image: tk.image, s: at });
      at += tk.image.length;
      continue;
    }
    // Skip to the next position where some token starts.
    const start = at;
    do at++;
    while (at < source.length && tokenAt(source, at, prev) === null);
    errors.push({ offset: start, length: at - start });
  }
  return { tokens, errors };
}

/** The first syntax error: what was expected, the token found instead and the token before it. */
class SyntaxFailure {
  constructor(
    readonly message: string,
    readonly token: Token,
    readonly previous: Token | undefined,
  ) {}
}

const LABELS: Partial<Record<TokenKind, string>> = { Identifier: 'a name', In: "'in'", RParen: "')'", RBracket: "']'" };

function shown(tok: Token): string {
  return tok.kind === 'EOF' ? 'the end of the expression' : `'${tok.image}'`;
}

function after(prev: Token): string {
  return prev.kind === 'EOF' || Number.isNaN(prev.s) ? 'at the start' : `after '${prev.image}'`;
}

function foundPart(tok: Token): string {
  return tok.kind === 'EOF' ? '' : ` but found ${shown(tok)}`;
}

/** Tokens a value can start with (`atom`). */
const ATOM_START = new Set<TokenKind>(['StringLit', 'Number', 'Duration', 'True', 'False', 'Null', 'RegexLit', 'LBracket', 'LParen', 'Identifier']);
/** Tokens an operand can start with (`unary`, `comparison`). */
const UNARY_START = new Set<TokenKind>([...ATOM_START, 'Minus']);
/** Tokens an expression (and a call argument) can start with. */
const EXPR_START = new Set<TokenKind>([...UNARY_START, 'Not']);
const COMPARISON_OP = new Set<TokenKind>(['Eq', 'Ne', 'Le', 'Ge', 'Lt', 'Gt', 'Match', 'NotMatch', 'Contains', 'StartsWith', 'EndsWith', 'In', 'Not']);
/** Identifiers and keywords: what may follow a `.`. */
const NAME = new Set<TokenKind>(['Identifier', ...KEYWORDS.values()]);

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'", '/': '/' };

function end(t: Token): number {
  return t.s + t.image.length;
}

class Parser {
  private i = 0;
  /** String escape problems (not fatal: the expression still type-checks). */
  readonly escapeErrors: ExprDiagnostic[] = [];

  constructor(private readonly tokens: Token[]) {}

  private peek(n = 1): Token {
    return this.tokens[this.i + n - 1] ?? EOF;
  }

  private previous(): Token {
    return this.i > 0 ? this.tokens[this.i - 1]! : EOF;
  }

  private next(): Token {
    return this.tokens[this.i++]!;
  }

  private expect(kinds: ReadonlySet<TokenKind> | TokenKind, label: string): Token {
    const tok = this.peek();
    if (typeof kinds === 'string' ? tok.kind === kinds : kinds.has(tok.kind)) return this.next();
    throw new SyntaxFailure(`expected ${label} ${after(this.previous())}${foundPart(tok)}`, tok, this.previous());
  }

  private noValue(): never {
    const tok = this.peek();
    throw new SyntaxFailure(`expected a value ${after(this.previous())}${foundPart(tok)}`, tok, this.previous());
  }

  /** The whole input as one expression. */
  parseAll(): Node {
    const node = this.expression();
    const rest = this.peek();
    if (rest.kind !== 'EOF') throw new SyntaxFailure(`unexpected ${shown(rest)} after a complete expression (missing 'and'/'or'?)`, rest, undefined);
    return node;
  }

  private binary(l: Node, opTok: Token, op: BinOp, r: Node): Node {
    return { k: 'bin', op, l, r, s: l.s, e: r.e, opS: opTok.s, opE: end(opTok) };
  }

  private expression(): Node {
    let acc = this.andExpr();
    while (this.peek().kind === 'Or') {
      const op = this.next();
      acc = this.binary(acc, op, 'or', this.andExpr());
    }
    return acc;
  }

  private andExpr(): Node {
    let acc = this.notExpr();
    while (this.peek().kind === 'And') {
      const op = this.next();
      acc = this.binary(acc, op, 'and', this.notExpr());
    }
    return acc;
  }

  private notExpr(): Node {
    const tok = this.peek();
    if (tok.kind === 'Not') {
      this.next();
      const x = this.notExpr();
      return { k: 'not', x, s: tok.s, e: x.e };
    }
    if (!UNARY_START.has(tok.kind)) this.noValue();
    return this.comparison();
  }

  private comparison(): Node {
    const l = this.additive();
    if (!COMPARISON_OP.has(this.peek().kind)) return l;
    let negate: Token | undefined;
    let opTok: Token;
    if (this.peek().kind === 'Not') {
      negate = this.next();
      opTok = this.expect('In', LABELS.In!);
    } else {
      opTok = this.next();
    }
    const r = this.additive();
    const op = (negate !== undefined ? 'not in' : opTok.image) as BinOp;
    return { k: 'bin', op, l, r, s: l.s, e: r.e, opS: negate !== undefined ? negate.s : opTok.s, opE: end(opTok) };
  }

  private additive(): Node {
    let acc = this.multiplicative();
    for (let k = this.peek().kind; k === 'Plus' || k === 'Minus'; k = this.peek().kind) {
      const op = this.next();
      acc = this.binary(acc, op, op.image as BinOp, this.multiplicative());
    }
    return acc;
  }

  private multiplicative(): Node {
    let acc = this.unary();
    for (let k = this.peek().kind; k === 'Star' || k === 'Slash'; k = this.peek().kind) {
      const op = this.next();
      acc = this.binary(acc, op, op.image as BinOp, this.unary());
    }
    return acc;
  }

  private unary(): Node {
    const tok = this.peek();
    if (tok.kind === 'Minus') {
      this.next();
      const x = this.unary();
      // Fold `-literal` so that `-5` and `-10s` are plain constants.
      if (x.k === 'lit' && (x.lit === 'number' || x.lit === 'duration')) return { ...x, v: -(x.v as number), s: tok.s };
      return { k: 'neg', x, s: tok.s, e: x.e };
    }
    if (!ATOM_START.has(tok.kind)) this.noValue();
    return this.postfix();
  }

  private postfix(): Node {
    let acc = this.atom();
    for (;;) {
      const tok = this.peek();
      if (tok.kind === 'Dot') {
        this.next();
        const nameTok = this.expect(NAME, 'a name');
        acc = { k: 'field', obj: acc, name: nameTok.image, nameS: nameTok.s, s: acc.s, e: end(nameTok) };
      } else if (tok.kind === 'LBracket') {
        this.next();
        const index = this.expression();
        const close = this.expect('RBracket', LABELS.RBracket!);
        acc = { k: 'index', obj: acc, index, s: acc.s, e: end(close) };
      } else {
        return acc;
      }
    }
  }

  private atom(): Node {
    const t0 = this.next();
    switch (t0.kind) {
      case 'StringLit':
        return { k: 'lit', lit: 'string', v: this.unquote(t0), s: t0.s, e: end(t0) };
      case 'Number':
        return { k: 'lit', lit: 'number', v: Number(t0.image), s: t0.s, e: end(t0) };
      case 'Duration':
        return { k: 'lit', lit: 'duration', v: parseDuration(t0.image) ?? 0, s: t0.s, e: end(t0) };
      case 'True':
        return { k: 'lit', lit: 'bool', v: true, s: t0.s, e: end(t0) };
      case 'False':
        return { k: 'lit', lit: 'bool', v: false, s: t0.s, e: end(t0) };
      case 'Null':
        return { k: 'lit', lit: 'null', v: null, s: t0.s, e: end(t0) };
      case 'RegexLit':
        return { k: 'regex', body: t0.payload!.body, flags: t0.payload!.flags, s: t0.s, e: end(t0) };
      case 'LBracket': {
        const items: Node[] = [];
        if (EXPR_START.has(this.peek().kind)) {
          items.push(this.expression());
          while (this.peek().kind === 'Comma') {
            this.next();
            items.push(this.expression());
          }
        }
        const close = this.expect('RBracket', LABELS.RBracket!);
        return { k: 'list', items, s: t0.s, e: end(close) };
      }
      case 'LParen': {
        const x = this.expression();
        const close = this.expect('RParen', LABELS.RParen!);
        // Widen the span to the parentheses so diagnostics underline what the user wrote.
        return { ...x, s: t0.s, e: end(close) } as Node;
      }
      default: {
        // Identifier (callers checked ATOM_START).
        if (this.peek().kind !== 'LParen') return { k: 'name', name: t0.image, s: t0.s, e: end(t0) };
        this.next();
        const args: Node[] = [];
        if (EXPR_START.has(this.peek().kind)) {
          args.push(this.arg());
          while (this.peek().kind === 'Comma') {
            this.next();
            args.push(this.arg());
          }
        }
        const close = this.expect('RParen', LABELS.RParen!);
        return { k: 'call', fn: t0.image, args, fnE: end(t0), s: t0.s, e: end(close) };
      }
    }
  }

  private arg(): Node {
    const tok = this.peek();
    if (tok.kind === 'Identifier' && this.peek(2).kind === 'Arrow') {
      this.next();
      this.next();
      const body = this.expression();
      return { k: 'lambda', param: tok.image, paramE: end(tok), body, s: tok.s, e: body.e };
    }
    if (!EXPR_START.has(tok.kind)) this.noValue();
    return this.expression();
  }

  private unquote(t0: Token): string {
    const raw = t0.image.slice(1, -1);
    if (!raw.includes('\\')) return raw;
    let out = '';
    for (let i = 0; i < raw.length; i++) {
      const ch = raw[i]!;
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const nx = raw[++i] ?? '';
      const simple = ESCAPES[nx];
      if (simple !== undefined) {
        out += simple;
        continue;
      }
      const hex = nx === 'x' ? /^[0-9a-fA-F]{2}/.exec(raw.slice(i + 1)) : nx === 'u' ? /^(?:[0-9a-fA-F]{4}|\{[0-9a-fA-F]{1,6}\})/.exec(raw.slice(i + 1)) : null;
      if (hex !== null) {
        const cp = parseInt(hex[0].replace(/[{}]/g, ''), 16);
        if (cp <= 0x10ffff) {
          out += String.fromCodePoint(cp);
          i += hex[0].length;
          continue;
        }
      }
      this.escapeErrors.push({ message: `invalid escape '\\${nx}' in string`, column: t0.s + 1 + i, length: 2 });
      out += nx;
    }
    return out;
  }
}

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

function syntaxError(source: string, tokens: Token[], f: SyntaxFailure): ExprDiagnostic {
  const tok = f.token;
  const prev = f.previous;
  let offset: number;
  if (tok.kind !== 'EOF') offset = tok.s;
  else {
    const last = prev !== undefined && !Number.isNaN(prev.s) ? prev : tokens[tokens.length - 1];
    offset = last !== undefined ? end(last) : source.length;
  }
  // A `/` where a value must start is a regex without its closing slash.
  if (tok.kind === 'Slash' && (prev === undefined || !VALUE_END.has(prev.kind))) {
    return { message: `unterminated regex at column ${offset + 1} (a regex is /.../flags; escape / inside as \\/)`, column: offset + 1, length: source.length - offset };
  }
  const length = tok.kind === 'EOF' ? 1 : tok.image.length;
  return { message: `${f.message} at column ${offset + 1}`, column: offset + 1, length };
}

/** Nesting limit for brackets and parentheses: far beyond real rules, far below the stack limit. */
const MAX_NESTING = 64;

function nestingError(tokens: Token[]): ExprDiagnostic | null {
  let depth = 0;
  for (const tk of tokens) {
    if (tk.kind === 'LParen' || tk.kind === 'LBracket') {
      if (++depth > MAX_NESTING) {
        return { message: `expression is nested too deeply (more than ${MAX_NESTING} levels) at column ${tk.s + 1}`, column: tk.s + 1, length: 1 };
      }
    } else if (tk.kind === 'RParen' || tk.kind === 'RBracket') depth--;
  }
  return null;
}

/** Result of {@link parseExpr}: the AST with string-escape problems (the rest can still be checked), or syntax errors. */
export type ParseResult = { ok: true; ast: Node; errors: ExprDiagnostic[] } | { ok: false; errors: ExprDiagnostic[] };

/** Lexes and parses an expression. Lex errors are all reported; of syntax errors only the first. */
export function parseExpr(source: string): ParseResult {
  const lexed = tokenize(source);
  if (lexed.errors.length > 0) return { ok: false, errors: lexErrors(source, lexed.errors) };
  if (lexed.tokens.length === 0) return { ok: false, errors: [{ message: 'empty expression', column: 1, length: Math.max(1, source.length) }] };
  const tooDeep = nestingError(lexed.tokens);
  if (tooDeep !== null) return { ok: false, errors: [tooDeep] };
  const parser = new Parser(lexed.tokens);
  let ast: Node;
  try {
    ast = parser.parseAll();
  } catch (e) {
    if (e instanceof SyntaxFailure) return { ok: false, errors: [syntaxError(source, lexed.tokens, e)] };
    throw e;
  }
  return { ok: true, ast, errors: parser.escapeErrors };
}
