/**
 * Syntax of the rule expression language: a chevrotain CstParser whose rules only describe the grammar
 * (precedence by nesting, lowest first). One instance is reused for every parse; it is made on first use
 * (see parse.ts) from the chevrotain runtime and the token types it is given.
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
 */
import type { CstNode, CstParser, IParserErrorMessageProvider, IToken, ParserMethod, TokenType } from 'chevrotain';
import type { ChevrotainApi } from './chevrotain.js';
import type { ExprTokens } from './tokens.js';

function label(t: TokenType): string {
  return t.LABEL ?? t.name;
}

function shown(tok: IToken | undefined): string {
  if (tok === undefined || tok.tokenType.name === 'EOF') return 'the end of the expression';
  return `'${tok.image}'`;
}

function after(prev: IToken | undefined): string {
  return prev === undefined || prev.tokenType.name === 'EOF' || Number.isNaN(prev.startOffset) ? 'at the start' : `after '${prev.image}'`;
}

/** Human messages; the column is appended by the caller, which knows where the error is. */
const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous }) {
    const found = actual.tokenType.name === 'EOF' ? '' : ` but found ${shown(actual)}`;
    return `expected ${label(expected)} ${after(previous)}${found}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${shown(firstRedundant)} after a complete expression (missing 'and'/'or'?)`;
  },
  buildNoViableAltMessage({ actual, previous }) {
    const tok = actual[0];
    const found = tok === undefined || tok.tokenType.name === 'EOF' ? '' : ` but found ${shown(tok)}`;
    return `expected a value ${after(previous)}${found}`;
  },
  buildEarlyExitMessage({ actual, previous }) {
    const tok = actual[0];
    const found = tok === undefined || tok.tokenType.name === 'EOF' ? '' : ` but found ${shown(tok)}`;
    return `expected a value ${after(previous)}${found}`;
  },
};

/** The parser: `expression()` parses `input` into a CST; syntax errors are in `errors` afterwards. */
export interface ExprParser extends CstParser {
  expression: ParserMethod<[], CstNode>;
}

/**
 * The grammar, as a parser over the token types `T`. `validate: false` (the default at run time) skips
 * chevrotain's grammar checks (ambiguities, left recursion...), which cost milliseconds at every start;
 * the tests build the parser with them.
 */
export function createParser({ CstParser }: ChevrotainApi, T: ExprTokens, validate = false): ExprParser {
  class Grammar extends CstParser {
    constructor() {
      super(T.allTokens, { errorMessageProvider: messages, maxLookahead: 3, skipValidations: !validate });
      this.performSelfAnalysis();
    }

    public expression = this.RULE('expression', () => {
      this.SUBRULE(this.orExpr);
    });

    private orExpr = this.RULE('orExpr', () => {
      this.SUBRULE(this.andExpr, { LABEL: 'operands' });
      this.MANY(() => {
        this.CONSUME(T.Or);
        this.SUBRULE2(this.andExpr, { LABEL: 'operands' });
      });
    });

    private andExpr = this.RULE('andExpr', () => {
      this.SUBRULE(this.notExpr, { LABEL: 'operands' });
      this.MANY(() => {
        this.CONSUME(T.And);
        this.SUBRULE2(this.notExpr, { LABEL: 'operands' });
      });
    });

    private notExpr = this.RULE('notExpr', () => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Not);
            this.SUBRULE(this.notExpr);
          },
        },
        { ALT: () => this.SUBRULE(this.comparison) },
      ]);
    });

    private comparison = this.RULE('comparison', () => {
      this.SUBRULE(this.additive, { LABEL: 'lhs' });
      this.OPTION(() => {
        this.OR([
          { ALT: () => this.CONSUME(T.CompareOp, { LABEL: 'op' }) },
          { ALT: () => this.CONSUME(T.Match, { LABEL: 'op' }) },
          { ALT: () => this.CONSUME(T.NotMatch, { LABEL: 'op' }) },
          { ALT: () => this.CONSUME(T.StringOp, { LABEL: 'op' }) },
          { ALT: () => this.CONSUME(T.In, { LABEL: 'op' }) },
          {
            ALT: () => {
              this.CONSUME(T.Not, { LABEL: 'negate' });
              this.CONSUME2(T.In, { LABEL: 'op' });
            },
          },
        ]);
        this.SUBRULE2(this.additive, { LABEL: 'rhs' });
      });
    });

    private additive = this.RULE('additive', () => {
      this.SUBRULE(this.multiplicative, { LABEL: 'operands' });
      this.MANY(() => {
        this.CONSUME(T.AdditiveOp, { LABEL: 'ops' });
        this.SUBRULE2(this.multiplicative, { LABEL: 'operands' });
      });
    });

    private multiplicative = this.RULE('multiplicative', () => {
      this.SUBRULE(this.unary, { LABEL: 'operands' });
      this.MANY(() => {
        this.CONSUME(T.MultiplicativeOp, { LABEL: 'ops' });
        this.SUBRULE2(this.unary, { LABEL: 'operands' });
      });
    });

    private unary = this.RULE('unary', () => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Minus);
            this.SUBRULE(this.unary);
          },
        },
        { ALT: () => this.SUBRULE(this.postfix) },
      ]);
    });

    private postfix = this.RULE('postfix', () => {
      this.SUBRULE(this.atom);
      this.MANY(() => {
        this.OR([
          {
            ALT: () => {
              this.CONSUME(T.Dot, { LABEL: 'suffix' });
              this.CONSUME(T.Name, { LABEL: 'suffix' });
            },
          },
          {
            ALT: () => {
              this.CONSUME(T.LBracket, { LABEL: 'suffix' });
              this.SUBRULE(this.expression, { LABEL: 'index' });
              this.CONSUME(T.RBracket, { LABEL: 'suffix' });
            },
          },
        ]);
      });
    });

    private atom = this.RULE('atom', () => {
      this.OR([
        { ALT: () => this.CONSUME(T.StringLit) },
        { ALT: () => this.CONSUME(T.NumberLit) },
        { ALT: () => this.CONSUME(T.Duration) },
        { ALT: () => this.CONSUME(T.True) },
        { ALT: () => this.CONSUME(T.False) },
        { ALT: () => this.CONSUME(T.Null) },
        { ALT: () => this.CONSUME(T.RegexLit) },
        { ALT: () => this.SUBRULE(this.list) },
        {
          ALT: () => {
            this.CONSUME(T.LParen);
            this.SUBRULE(this.expression);
            this.CONSUME(T.RParen);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Identifier);
            this.OPTION(() => {
              this.CONSUME2(T.LParen, { LABEL: 'call' });
              this.OPTION2(() => {
                this.SUBRULE(this.arg, { LABEL: 'args' });
                this.MANY(() => {
                  this.CONSUME(T.Comma);
                  this.SUBRULE2(this.arg, { LABEL: 'args' });
                });
              });
              this.CONSUME2(T.RParen, { LABEL: 'callEnd' });
            });
          },
        },
      ]);
    });

    private list = this.RULE('list', () => {
      this.CONSUME(T.LBracket);
      this.OPTION(() => {
        this.SUBRULE(this.expression, { LABEL: 'items' });
        this.MANY(() => {
          this.CONSUME(T.Comma);
          this.SUBRULE2(this.expression, { LABEL: 'items' });
        });
      });
      this.CONSUME(T.RBracket);
    });

    private arg = this.RULE('arg', () => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Identifier, { LABEL: 'param' });
            this.CONSUME(T.Arrow);
            this.SUBRULE(this.expression, { LABEL: 'body' });
          },
        },
        { ALT: () => this.SUBRULE2(this.expression, { LABEL: 'value' }) },
      ]);
    });
  }
  return new Grammar();
}

/** Parses tokens into a CST; errors are in `parser.errors` afterwards. */
export function parseTokens(parser: ExprParser, tokens: IToken[]): CstNode {
  parser.input = tokens;
  return parser.expression();
}
