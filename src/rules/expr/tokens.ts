/**
 * Tokens of the rule expression language (chevrotain lexer definitions).
 *
 * Keywords share the `Name` category so that they may still be used as field names after a dot
 * (`klog.kv.in`). A regex literal is only recognised where a value may start (after `~`, `(`, `,`,
 * an operator...), so `/` after a value is always division.
 *
 * The token types are made by {@link defineTokens} from the chevrotain runtime it is given (loaded on
 * first use, see chevrotain.ts), not when this module is imported.
 */
import type { ILexingResult, IToken, TokenType } from 'chevrotain';
import type { ChevrotainApi } from './chevrotain.js';

/** Token types after which a value has just ended: a `/` there is division, not a regex. */
const VALUE_END = new Set<string>(['Identifier', 'Number', 'Duration', 'StringLit', 'RParen', 'RBracket', 'True', 'False', 'Null', 'RegexLit']);

// Linear: the three alternatives start with disjoint characters.
const REGEX_BODY = /\/((?:[^/\\\n[]|\\[^\n]|\[(?:[^\]\\\n]|\\[^\n])*\])+)\/([A-Za-z]*)/y;

/** The token types of the language, made with the given chevrotain runtime. */
export function defineTokens({ createToken, Lexer }: ChevrotainApi) {
  /** Any identifier-like word: identifiers and keywords. Only consumed after `.`. */
  const Name = createToken({ name: 'Name', pattern: Lexer.NA, label: 'a name' });

  const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n]+/, group: Lexer.SKIPPED, line_breaks: true });

  const Identifier = createToken({
    name: 'Identifier',
    pattern: /[A-Za-z_$][A-Za-z0-9_$]*/,
    categories: [Name],
    label: 'a name',
  });

  /** `contains`, `startsWith`, `endsWith` share this category. */
  const StringOp = createToken({ name: 'StringOp', pattern: Lexer.NA });

  function keyword(word: string, extra: TokenType[] = []): TokenType {
    return createToken({
      name: word[0]!.toUpperCase() + word.slice(1),
      pattern: new RegExp(word),
      longer_alt: Identifier,
      categories: [Name, ...extra],
      label: `'${word}'`,
    });
  }

  const Or = keyword('or');
  const And = keyword('and');
  const Not = keyword('not');
  const In = keyword('in');
  const Contains = keyword('contains', [StringOp]);
  const StartsWith = keyword('startsWith', [StringOp]);
  const EndsWith = keyword('endsWith', [StringOp]);
  const True = keyword('true');
  const False = keyword('false');
  const Null = keyword('null');

  /** Category of the comparison operators that take two values. */
  const CompareOp = createToken({ name: 'CompareOp', pattern: Lexer.NA });
  const Eq = createToken({ name: 'Eq', pattern: /==/, categories: [CompareOp], label: "'=='" });
  const Ne = createToken({ name: 'Ne', pattern: /!=/, categories: [CompareOp], label: "'!='" });
  const Le = createToken({ name: 'Le', pattern: /<=/, categories: [CompareOp], label: "'<='" });
  const Ge = createToken({ name: 'Ge', pattern: />=/, categories: [CompareOp], label: "'>='" });
  const Lt = createToken({ name: 'Lt', pattern: /</, categories: [CompareOp], label: "'<'" });
  const Gt = createToken({ name: 'Gt', pattern: />/, categories: [CompareOp], label: "'>'" });
  const NotMatch = createToken({ name: 'NotMatch', pattern: /!~/, label: "'!~'" });
  const Match = createToken({ name: 'Match', pattern: /~/, label: "'~'" });

  const Arrow = createToken({ name: 'Arrow', pattern: /->/, label: "'->'" });
  const AdditiveOp = createToken({ name: 'AdditiveOp', pattern: Lexer.NA });
  const Plus = createToken({ name: 'Plus', pattern: /\+/, categories: [AdditiveOp], label: "'+'" });
  const Minus = createToken({ name: 'Minus', pattern: /-/, categories: [AdditiveOp], label: "'-'" });
  const MultiplicativeOp = createToken({ name: 'MultiplicativeOp', pattern: Lexer.NA });
  const Star = createToken({ name: 'Star', pattern: /\*/, categories: [MultiplicativeOp], label: "'*'" });

  /** `/body/flags`, only where a value may start. The payload is `{ body, flags }`. */
  const RegexLit = createToken({
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
  const Slash = createToken({ name: 'Slash', pattern: /\//, categories: [MultiplicativeOp], label: "'/'" });

  const LParen = createToken({ name: 'LParen', pattern: /\(/, label: "'('" });
  const RParen = createToken({ name: 'RParen', pattern: /\)/, label: "')'" });
  const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: "'['" });
  const RBracket = createToken({ name: 'RBracket', pattern: /\]/, label: "']'" });
  const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
  const Dot = createToken({ name: 'Dot', pattern: /\./, label: "'.'" });

  /** `500ms 10s 1.5m 1h 2d` (also `us`); must come before Number. */
  const Duration = createToken({
    name: 'Duration',
    pattern: /(?:\d+(?:\.\d+)?)(?:ms|us|µs|s|m|h|d)(?![A-Za-z0-9_$])/,
    label: 'a duration',
  });
  const NumberLit = createToken({
    name: 'Number',
    pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![A-Za-z0-9_$.])/,
    label: 'a number',
  });
  const StringLit = createToken({
    name: 'StringLit',
    pattern: /"(?:[^"\\\n]|\\[^\n])*"|'(?:[^'\\\n]|\\[^\n])*'/,
    label: 'a string',
  });

  /** All token types in lexing order. */
  const allTokens: TokenType[] = [
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

  return {
    Name, WhiteSpace, Identifier, StringOp, Or, And, Not, In, Contains, StartsWith, EndsWith, True, False,
    Null, CompareOp, Eq, Ne, Le, Ge, Lt, Gt, NotMatch, Match, Arrow, AdditiveOp, Plus, Minus,
    MultiplicativeOp, Star, RegexLit, Slash, LParen, RParen, LBracket, RBracket, Comma, Dot, Duration,
    NumberLit, StringLit, allTokens,
  };
}

/** The token types of {@link defineTokens}. */
export type ExprTokens = ReturnType<typeof defineTokens>;

/** A lexer: `tokenize` returns the tokens and the lexing errors. */
export interface ExprLexer {
  tokenize(text: string): ILexingResult;
}

/**
 * The lexer. `positionTracking: 'onlyOffset'` is enough: expressions are short. `validate: false` (the
 * default at run time) skips the checks of the token definitions, which cost milliseconds at every start;
 * the tests build the lexer with them.
 */
export function createLexer({ Lexer }: ChevrotainApi, T: ExprTokens, validate = false): ExprLexer {
  return new Lexer(T.allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: false, skipValidations: !validate });
}
