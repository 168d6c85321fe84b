/**
 * Tokens of the rule expression language (chevrotain lexer definitions).
 *
 * Keywords share the `Name` category so that they may still be used as field names after a dot
 * (`klog.kv.in`). A regex literal is only recognised where a value may start (after `~`, `(`, `,`,
 * an operator...), so `/` after a value is always division.
 */
import { createToken, Lexer, type IToken, type TokenType } from 'chevrotain';

/** Any identifier-like word: identifiers and keywords. Only consumed after `.`. */
export const Name = createToken({ name: 'Name', pattern: Lexer.NA, label: 'a name' });

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED, line_breaks: true });

export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_$][A-Za-z0-9_$]*/,
  categories: [Name],
  label: 'a name',
});

/** `contains`, `startsWith`, `endsWith` share this category. */
export const StringOp = createToken({ name: 'StringOp', pattern: Lexer.NA });

function keyword(word: string, extra: TokenType[] = []): TokenType {
  return createToken({
    name: word[0]!.toUpperCase() + word.slice(1),
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: [Name, ...extra],
    label: `'${word}'`,
  });
}

export const Or = keyword('or');
export const And = keyword('and');
export const Not = keyword('not');
export const In = keyword('in');
export const Contains = keyword('contains', [StringOp]);
export const StartsWith = keyword('startsWith', [StringOp]);
export const EndsWith = keyword('endsWith', [StringOp]);
export const True = keyword('true');
export const False = keyword('false');
export const Null = keyword('null');

/** Category of the comparison operators that take two values. */
export const CompareOp = createToken({ name: 'CompareOp', pattern: Lexer.NA });
export const Eq = createToken({ name: 'Eq', pattern: /==/, categories: [CompareOp], label: "'=='" });
export const Ne = createToken({ name: 'Ne', pattern: /!=/, categories: [CompareOp], label: "'!='" });
export const Le = createToken({ name: 'Le', pattern: /<=/, categories: [CompareOp], label: "'<='" });
export const Ge = createToken({ name: 'Ge', pattern: />=/, categories: [CompareOp], label: "'>='" });
export const Lt = createToken({ name: 'Lt', pattern: /</, categories: [CompareOp], label: "'<'" });
export const Gt = createToken({ name: 'Gt', pattern: />/, categories: [CompareOp], label: "'>'" });
export const NotMatch = createToken({ name: 'NotMatch', pattern: /!~/, label: "'!~'" });
export const Match = createToken({ name: 'Match', pattern: /~/, label: "'~'" });

export const Arrow = createToken({ name: 'Arrow', pattern: /->/, label: "'->'" });
export const AdditiveOp = createToken({ name: 'AdditiveOp', pattern: Lexer.NA });
export const Plus = createToken({ name: 'Plus', pattern: /\+/, categories: [AdditiveOp], label: "'+'" });
export const Minus = createToken({ name: 'Minus', pattern: /-/, categories: [AdditiveOp], label: "'-'" });
export const MultiplicativeOp = createToken({ name: 'MultiplicativeOp', pattern: Lexer.NA });
export const Star = createToken({ name: 'Star', pattern: /\*/, categories: [MultiplicativeOp], label: "'*'" });

/** Token types after which a value has just ended: a `/` there is division, not a regex. */
const VALUE_END = new Set<string>(['Identifier', 'Number', 'Duration', 'StringLit', 'RParen', 'RBracket', 'True', 'False', 'Null', 'RegexLit']);

// Linear: the three alternatives start with disjoint characters.
const REGEX_BODY = /\/((?:[^/\\\n[]|\\[^\n]|\[(?:[^\]\\\n]|\\[^\n])*\])+)\/([A-Za-z]*)/y;

/** `/body/flags`, only where a value may start. The payload is `{ body, flags }`. */
export const RegexLit = createToken({
  name: 'RegexLit',
  pattern: {
    exec(text: string, offset: number, tokens: IToken[]) {
      const prev = tokens.length > 0 ? tokens[tokens.length - 1]! : undefined;
      if (prev !== undefined && VALUE_END.has(prev.tokenType.name)) return null;
      REGEX_BODY.lastIndex = offset;
      const m = REGEX_BODY.exec(text);
      if (m === null) return null;
      const res = [m[0]] as [string] & { payload?: unknown };
      res.payload = { body: m[1]!, flags: m[2]! };
      return res;
    },
  },
  line_breaks: false,
  start_chars_hint: ['/'],
  label: 'a regex',
});
export const Slash = createToken({ name: 'Slash', pattern: /\//, categories: [MultiplicativeOp], label: "'/'" });

export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: "')'" });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/, label: "']'" });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
export const Dot = createToken({ name: 'Dot', pattern: /\./, label: "'.'" });

/** `500ms 10s 1.5m 1h 2d` (also `us`); must come before Number. */
export const Duration = createToken({
  name: 'Duration',
  pattern: /(?:\d+(?:\.\d+)?)(?:ms|us|µs|s|m|h|d)(?![A-Za-z0-9_$])/,
  label: 'a duration',
});
export const NumberLit = createToken({
  name: 'Number',
  pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![A-Za-z0-9_$.])/,
  label: 'a number',
});
export const StringLit = createToken({
  name: 'StringLit',
  pattern: /"(?:[^"\\\n]|\\[^\n])*"|'(?:[^'\\\n]|\\[^\n])*'/,
  label: 'a string',
});

/** All token types in lexing order. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Arrow,
  Eq,
  Ne,
  Le,
  Ge,
  Lt,
  Gt,
  NotMatch,
  Match,
  Plus,
  Minus,
  Star,
  RegexLit,
  Slash,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Dot,
  Duration,
  NumberLit,
  StringLit,
  Or,
  And,
  Not,
  In,
  Contains,
  StartsWith,
  EndsWith,
  True,
  False,
  Null,
  Identifier,
  Name,
  CompareOp,
  StringOp,
  AdditiveOp,
  MultiplicativeOp,
];

/** The one lexer instance. `positionTracking: 'onlyOffset'` is enough: expressions are short. */
export const exprLexer = new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: false });
