/**
 * The AST of the rule expression language, with source spans, and the chevrotain visitor that builds it
 * from the parser's concrete syntax tree. Meaning (types, evaluation) lives in typecheck.ts and compile.ts.
 */
import type { CstNode, IToken } from 'chevrotain';
import type { ExprParser } from './parser.js';
import { parseDuration } from '../../time/duration.js';
import type { ExprDiagnostic, ExprType } from './types.js';

/** Binary operators of the AST. */
export type BinOp =
  | 'or' | 'and'
  | '==' | '!=' | '<' | '<=' | '>' | '>='
  | '~' | '!~' | 'contains' | 'startsWith' | 'endsWith' | 'in' | 'not in'
  | '+' | '-' | '*' | '/';

interface Span {
  /** 0-based start offset in the source. */
  s: number;
  /** 0-based end offset, exclusive. */
  e: number;
  /** Static type, set by the type checker. */
  type?: ExprType;
}

/** AST node. */
export type Node =
  | (Span & { k: 'lit'; lit: 'string' | 'number' | 'bool' | 'null' | 'duration'; v: string | number | boolean | null })
  | (Span & { k: 'regex'; body: string; flags: string })
  | (Span & { k: 'list'; items: Node[] })
  | (Span & { k: 'name'; name: string; /** Lambda variable slot, set by the type checker. */ slot?: number })
  | (Span & { k: 'field'; obj: Node; name: string; nameS: number })
  | (Span & { k: 'index'; obj: Node; index: Node })
  | (Span & { k: 'call'; fn: string; args: Node[]; fnE: number })
  | (Span & { k: 'lambda'; param: string; paramE: number; body: Node; slot?: number })
  | (Span & { k: 'neg'; x: Node })
  | (Span & { k: 'not'; x: Node })
  | (Span & { k: 'bin'; op: BinOp; l: Node; r: Node; opS: number; opE: number });

type Children = Record<string, (CstNode | IToken)[] | undefined>;

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'", '/': '/' };

function tok(c: Children, key: string, i = 0): IToken | undefined {
  return c[key]?.[i] as IToken | undefined;
}
function node(c: Children, key: string, i = 0): CstNode | undefined {
  return c[key]?.[i] as CstNode | undefined;
}
function nodes(c: Children, key: string): CstNode[] {
  return (c[key] ?? []) as CstNode[];
}
function end(t: IToken): number {
  return t.startOffset + t.image.length;
}

/** Turns a CST of {@link ExprParser} into an AST; string escape errors are appended to `errors`. */
export type AstBuilder = (cst: CstNode, errors: ExprDiagnostic[]) => Node;

/**
 * The CST -> AST visitor of `parser` (one instance, reused). `validate` checks that it has a method for
 * every grammar rule (the tests ask for it; at run time it is skipped like the grammar checks).
 */
export function createAstBuilder(parser: ExprParser, validate = false): AstBuilder {
  const BaseVisitor = parser.getBaseCstVisitorConstructor<void, Node>();

  class ToAst extends BaseVisitor {
    errors: ExprDiagnostic[] = [];

    constructor() {
      super();
      if (validate) this.validateVisitor();
    }

    private binChain(c: Children, opKey: string, opTokens: IToken[] | undefined): Node {
      const operands = nodes(c, 'operands');
      let acc = this.visit(operands[0]!);
      for (let i = 1; i < operands.length; i++) {
        const opTok = opTokens![i - 1]!;
        const r = this.visit(operands[i]!);
        acc = { k: 'bin', op: (opKey === '' ? opTok.image : opKey) as BinOp, l: acc, r, s: acc.s, e: r.e, opS: opTok.startOffset, opE: end(opTok) };
      }
      return acc;
    }

    expression(c: Children): Node {
      return this.visit(node(c, 'orExpr')!);
    }
    orExpr(c: Children): Node {
      return this.binChain(c, 'or', c.Or as IToken[] | undefined);
    }
    andExpr(c: Children): Node {
      return this.binChain(c, 'and', c.And as IToken[] | undefined);
    }
    notExpr(c: Children): Node {
      const n = tok(c, 'Not');
      if (n !== undefined) {
        const x = this.visit(node(c, 'notExpr')!);
        return { k: 'not', x, s: n.startOffset, e: x.e };
      }
      return this.visit(node(c, 'comparison')!);
    }
    comparison(c: Children): Node {
      const l = this.visit(node(c, 'lhs')!);
      const opTok = tok(c, 'op');
      if (opTok === undefined) return l;
      const negate = tok(c, 'negate');
      const r = this.visit(node(c, 'rhs')!);
      const op = (negate !== undefined ? 'not in' : opTok.image) as BinOp;
      const opS = negate !== undefined ? negate.startOffset : opTok.startOffset;
      return { k: 'bin', op, l, r, s: l.s, e: r.e, opS, opE: end(opTok) };
    }
    additive(c: Children): Node {
      return this.binChain(c, '', c.ops as IToken[] | undefined);
    }
    multiplicative(c: Children): Node {
      return this.binChain(c, '', c.ops as IToken[] | undefined);
    }
    unary(c: Children): Node {
      const m = tok(c, 'Minus');
      if (m !== undefined) {
        const x = this.visit(node(c, 'unary')!);
        // Fold `-literal` so that `-5` and `-10s` are plain constants.
        if (x.k === 'lit' && (x.lit === 'number' || x.lit === 'duration')) return { ...x, v: -(x.v as number), s: m.startOffset };
        return { k: 'neg', x, s: m.startOffset, e: x.e };
      }
      return this.visit(node(c, 'postfix')!);
    }
    postfix(c: Children): Node {
      let acc = this.visit(node(c, 'atom')!);
      const suffix = (c.suffix ?? []) as IToken[];
      const idx = nodes(c, 'index');
      let j = 0;
      for (let i = 0; i < suffix.length; i++) {
        const t0 = suffix[i]!;
        if (t0.image === '.') {
          const nameTok = suffix[++i]!;
          acc = { k: 'field', obj: acc, name: nameTok.image, nameS: nameTok.startOffset, s: acc.s, e: end(nameTok) };
        } else {
          const index = this.visit(idx[j++]!);
          const close = suffix[++i]!;
          acc = { k: 'index', obj: acc, index, s: acc.s, e: end(close) };
        }
      }
      return acc;
    }
    atom(c: Children): Node {
      let t0: IToken | undefined;
      if ((t0 = tok(c, 'StringLit')) !== undefined) return { k: 'lit', lit: 'string', v: this.unquote(t0), s: t0.startOffset, e: end(t0) };
      if ((t0 = tok(c, 'Number')) !== undefined) return { k: 'lit', lit: 'number', v: Number(t0.image), s: t0.startOffset, e: end(t0) };
      if ((t0 = tok(c, 'Duration')) !== undefined) return { k: 'lit', lit: 'duration', v: parseDuration(t0.image) ?? 0, s: t0.startOffset, e: end(t0) };
      if ((t0 = tok(c, 'True')) !== undefined) return { k: 'lit', lit: 'bool', v: true, s: t0.startOffset, e: end(t0) };
      if ((t0 = tok(c, 'False')) !== undefined) return { k: 'lit', lit: 'bool', v: false, s: t0.startOffset, e: end(t0) };
      if ((t0 = tok(c, 'Null')) !== undefined) return { k: 'lit', lit: 'null', v: null, s: t0.startOffset, e: end(t0) };
      if ((t0 = tok(c, 'RegexLit')) !== undefined) {
        const p = t0.payload as { body: string; flags: string };
        return { k: 'regex', body: p.body, flags: p.flags, s: t0.startOffset, e: end(t0) };
      }
      const list = node(c, 'list');
      if (list !== undefined) return this.visit(list);
      const inner = node(c, 'expression');
      if (inner !== undefined) {
        const x = this.visit(inner);
        // Widen the span to the parentheses so diagnostics underline what the user wrote.
        return { ...x, s: tok(c, 'LParen')!.startOffset, e: end(tok(c, 'RParen')!) } as Node;
      }
      const id = tok(c, 'Identifier')!;
      if (tok(c, 'call') !== undefined) {
        const args = nodes(c, 'args').map((a) => this.visit(a));
        return { k: 'call', fn: id.image, args, fnE: end(id), s: id.startOffset, e: end(tok(c, 'callEnd')!) };
      }
      return { k: 'name', name: id.image, s: id.startOffset, e: end(id) };
    }
    list(c: Children): Node {
      const items = nodes(c, 'items').map((n) => this.visit(n));
      return { k: 'list', items, s: tok(c, 'LBracket')!.startOffset, e: end(tok(c, 'RBracket')!) };
    }
    arg(c: Children): Node {
      const param = tok(c, 'param');
      if (param !== undefined) {
        const body = this.visit(node(c, 'body')!);
        return { k: 'lambda', param: param.image, paramE: end(param), body, s: param.startOffset, e: body.e };
      }
      return this.visit(node(c, 'value')!);
    }

    private unquote(t0: IToken): string {
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
        this.errors.push({ message: `invalid escape '\\${nx}' in string`, column: t0.startOffset + 1 + i, length: 2 });
        out += nx;
      }
      return out;
    }
  }

  const toAst = new ToAst();
  return (cst, errors) => {
    toAst.errors = errors;
    try {
      return toAst.visit(cst);
    } finally {
      toAst.errors = [];
    }
  };
}
