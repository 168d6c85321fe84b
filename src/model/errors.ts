/** Stable error codes; the CLI maps them to messages and exit codes. */
export type ErrorCode =
  | 'E_USAGE'
  | 'E_INPUT_NOT_FOUND'
  | 'E_INPUT_UNREADABLE'
  | 'E_NOTHING_READABLE'
  | 'E_RULE_INVALID'
  | 'E_ABORTED';

/** Error raised by the library, with a stable `code`. Its message is one human sentence. */
export class ForensicsError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ForensicsError';
    this.code = code;
  }
}

/** A rule file or rule that failed validation; `diagnostics` name file, rule id, JSON path and column. */
export class RuleError extends ForensicsError {
  readonly diagnostics: RuleDiagnostic[];
  constructor(diagnostics: RuleDiagnostic[]) {
    super('E_RULE_INVALID', diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'RuleError';
    this.diagnostics = diagnostics;
  }
}

export interface RuleDiagnostic {
  file: string;
  rule?: string;
  /** JSON path inside the rule file, e.g. `/rules/2/steps/1/where`. */
  path?: string;
  /** 1-based column inside an expression, when the problem is in one. */
  column?: number;
  severity: 'error' | 'warning';
  message: string;
}

export function formatDiagnostic(d: RuleDiagnostic): string {
  const where = [d.file, d.rule ? `rule ${d.rule}` : '', d.path ?? '', d.column ? `col ${d.column}` : '']
    .filter(Boolean)
    .join(': ');
  return `${where}: ${d.severity}: ${d.message}`;
}
