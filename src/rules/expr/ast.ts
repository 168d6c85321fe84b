/**
 * The AST of the rule expression language, with source spans; syntax.ts builds it. Meaning (types,
 * evaluation) lives in typecheck.ts and compile.ts.
 */
import type { ExprType } from './types.js';

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
