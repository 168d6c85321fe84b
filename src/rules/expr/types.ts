/** Public types of the rule expression language. */

/** Static type of an expression or of a name in scope. */
export type ExprType =
  | { kind: 'string' }
  | { kind: 'number' }
  | { kind: 'bool' }
  | { kind: 'duration' }
  | { kind: 'timestamp' }
  | { kind: 'regex' }
  | { kind: 'null' }
  | { kind: 'list'; of: ExprType }
  | { kind: 'record'; fields: Record<string, ExprType> }
  | { kind: 'map'; of: ExprType }
  | { kind: 'unknown' };

/** What is in scope: top-level names and their types. */
export type TypeEnv = Record<string, ExprType>;

/** A compile error. `column` is 1-based (a character position in the source; a newline counts as one). */
export interface ExprDiagnostic {
  message: string;
  column: number;
  length: number;
}

/** A type-checked expression compiled into closures. */
export interface CompiledExpr<T = unknown> {
  source: string;
  type: ExprType;
  /**
   * Evaluate against a scope object (plain nested JS values; timestamps/durations are numbers in microseconds).
   * Missing fields evaluate to null; comparisons with null are false (`== null` is true, `!=` is `not ==`).
   * Named regex groups of successful `~` matches are written into `captures` as they happen, also in a branch
   * that later turns out false (`msg ~ /(?<x>.)/ and false`): use captures only when the result is true. Never throws.
   * `scope` is typed `object` (wider than `Record<string, unknown>`) so interfaces such as `LogEvent` can be passed as is.
   */
  evaluate(scope: object, captures?: Record<string, string>): T;
  /** Paths the expression reads, e.g. `['msg', 'connErr.ts']` (lambda variables excluded). */
  reads: string[];
  /** Literal strings every match needs (from `contains`, `startsWith`, `endsWith` and regexes under `and`), for prefilters. */
  requiredLiterals: string[];
}

/** Shorthand constructors for {@link ExprType}s, handy when writing a {@link TypeEnv}. */
export const t = {
  string: { kind: 'string' } as ExprType,
  number: { kind: 'number' } as ExprType,
  bool: { kind: 'bool' } as ExprType,
  duration: { kind: 'duration' } as ExprType,
  timestamp: { kind: 'timestamp' } as ExprType,
  regex: { kind: 'regex' } as ExprType,
  null: { kind: 'null' } as ExprType,
  unknown: { kind: 'unknown' } as ExprType,
  list: (of: ExprType): ExprType => ({ kind: 'list', of }),
  map: (of: ExprType): ExprType => ({ kind: 'map', of }),
  record: (fields: Record<string, ExprType>): ExprType => ({ kind: 'record', fields }),
} as const;

/** `list<string>`, `record{a, b}`, ... for messages. */
export function typeName(ty: ExprType): string {
  switch (ty.kind) {
    case 'list':
      return `list<${typeName(ty.of)}>`;
    case 'map':
      return `map<${typeName(ty.of)}>`;
    case 'record':
      return `record{${Object.keys(ty.fields).join(', ')}}`;
    default:
      return ty.kind;
  }
}
