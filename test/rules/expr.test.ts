/**
 * Spec of the rule expression language, in the shape of chevrotain's calculator_spec: expression in, value out;
 * then every error kind with its column; then the syntax (errors, ASTs with their spans) and the parser's
 * construction.
 */
import { describe, expect, it } from 'vitest';
import { addPrebuiltAsts, compileExpr, formatDiagnostic, parseDuration, parseExpr, t, type ExprNode, type TypeEnv } from '../../src/rules/expr/index.js';
import { createSyntax } from '../../src/rules/expr/parse.js';

const T0 = 1_780_000_000_000_000; // µs

/** Names in scope: shaped like a LogEvent plus a bound step (`connErr`) and a goroutine record. */
const env: TypeEnv = {
  msg: t.string,
  host: t.string,
  ts: t.timestamp,
  priority: t.number,
  tags: t.list(t.string),
  klog: t.record({
    severity: t.string,
    file: t.string,
    line: t.number,
    pid: t.number,
    msg: t.string,
    kv: t.map(t.string),
    stamp: t.string,
  }),
  connErr: t.record({ ts: t.timestamp, captures: t.map(t.string) }),
  goroutine: t.record({
    id: t.number,
    state: t.string,
    waitMinutes: t.number,
    frames: t.list(t.record({ func: t.string, file: t.string, line: t.number })),
  }),
  opt: t.record({ missing: t.string, n: t.number, list: t.list(t.string) }),
  data: t.unknown,
};

const scope = {
  msg: 'connection1:0: detected conn error (1020)',
  host: 'k8s02',
  ts: T0 + 5_000_000,
  priority: 3,
  tags: ['iscsi', 'storage'],
  klog: {
    severity: 'I',
    file: 'taint_eviction.go',
    line: 111,
    pid: 1234,
    msg: 'Deleting pod',
    kv: { pod: 'openebs/jiva-ctrl-1', node: 'k8s01', code: '42' },
    stamp: '0528 20:21:04.123456',
  },
  connErr: { ts: T0, captures: { code: '1020' } },
  goroutine: {
    id: 104,
    state: 'select',
    waitMinutes: 1210,
    frames: [
      { func: 'runtime.gopark', file: '/usr/local/go/src/runtime/proc.go', line: 398 },
      { func: 'k8s.io/client-go/tools/cache.(*processorListener).pop', file: 'k8s.io/client-go/tools/cache/shared_informer.go', line: 947 },
      { func: 'k8s.io/apimachinery/pkg/util/wait.(*Group).Start.func1', file: 'k8s.io/apimachinery/pkg/util/wait/wait.go', line: 72 },
    ],
  },
  opt: {},
  data: { code: 5, nested: { deep: 'x' } },
};

function run(source: string, captures?: Record<string, string>): unknown {
  const r = compileExpr(source, env);
  if (!r.ok) throw new Error(r.errors.map((d) => formatDiagnostic(source, d)).join('\n'));
  return r.expr.evaluate(scope, captures);
}

function errorsOf(source: string) {
  const r = compileExpr(source, env);
  if (r.ok) throw new Error(`expected errors for ${source}`);
  return r.errors;
}

const cases: Record<string, [string, unknown][]> = {
  literals: [
    ['"a\\"b"', 'a"b'],
    ["'it\\'s'", "it's"],
    ['"\\u00e9\\t\\x41"', 'é\tA'],
    ['42', 42],
    ['4.5', 4.5],
    ['-5', -5],
    ['500ms', 500_000],
    ['10s', 10_000_000],
    ['1.5s', 1_500_000],
    ['5m', 300_000_000],
    ['1h', 3_600_000_000],
    ['2d', 172_800_000_000],
    ['true', true],
    ['false', false],
    ['null', null],
    ['[1, 2]', [1, 2]],
    ['[]', []],
    ['[host, "x"]', ['k8s02', 'x']],
  ],
  paths: [
    ['msg', scope.msg],
    ['klog.kv.pod', 'openebs/jiva-ctrl-1'],
    ['klog.kv["node"]', 'k8s01'],
    ['goroutine.frames[1].func', 'k8s.io/client-go/tools/cache.(*processorListener).pop'],
    ['goroutine.frames[-1].line', 72],
    ['goroutine.frames[9]', null],
    ['connErr.ts', T0],
    ['klog.kv.missing', null],
    ['opt.missing', null],
    ['data.nested.deep', 'x'],
    ['data.nested.deeper.still', null],
    ['klog.kv.constructor', null],
  ],
  arithmetic: [
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['24 / 4 / 2', 3],
    ['-2 * 3', -6],
    ['-(1 + 2)', -3],
    ['- priority', -3],
    ['"a" + "b"', 'ab'],
    ['7 / 0', null],
  ],
  time: [
    ['ts - connErr.ts', 5_000_000],
    ['ts - connErr.ts <= 10s', true],
    ['ts - connErr.ts > 5s', false],
    ['ts - connErr.ts >= 5s', true],
    ['connErr.ts + 5s == ts', true],
    ['5s + connErr.ts == ts', true],
    ['ts - 5s == connErr.ts', true],
    ['2 * 500ms', 1_000_000],
    ['500ms * 2', 1_000_000],
    ['1m / 2', 30_000_000],
    ['1m / 1s', 60],
    ['1s + 500ms', 1_500_000],
    ['-1s < 0s', true],
    ['90s > 1m', true],
    ['ts > connErr.ts', true],
  ],
  comparisons: [
    ['priority == 3', true],
    ['priority != 3', false],
    ['priority < 4', true],
    ['priority <= 3', true],
    ['priority > 3', false],
    ['priority >= 4', false],
    ['"abc" < "abd"', true],
    ['host == "k8s02"', true],
    ['tags == ["iscsi", "storage"]', true],
    ['klog.severity == "I"', true],
  ],
  strings: [
    ['msg contains "conn error"', true],
    ['msg contains "CONN"', false],
    ['klog.kv.pod startsWith "openebs/"', true],
    ['klog.file endsWith ".go"', true],
    ['klog.file startsWith ".go"', false],
    ['tags contains "iscsi"', true],
    ['tags contains "net"', false],
    ['klog.kv contains "pod"', true],
  ],
  membership: [
    ['host in ["k8s01", "k8s02"]', true],
    ['host in ["k8s01"]', false],
    ['host not in ["k8s01"]', true],
    ['priority in [1, 2, 3]', true],
    ['"iscsi" in tags', true],
    ['"pod" in klog.kv', true],
    ['"conn error" in msg', true],
    ['klog.kv.missing in ["x"]', false],
    ['klog.kv.missing not in ["x"]', false],
  ],
  regex: [
    ['msg ~ /detected conn error \\((?<code>\\d+)\\)/', true],
    ['msg ~ /timeout/', false],
    ['msg !~ /timeout/', true],
    ['msg !~ /conn/', false],
    ['msg ~ /CONN ERROR/i', true],
    ['msg ~ /^connection\\d+:/', true],
    ['klog.kv.pod ~ /^openebs\\/jiva-/', true],
    ['msg ~ /a\\/b|[/]x/', false],
  ],
  logic: [
    ['true or false and false', true],
    ['(true or false) and false', false],
    ['not true or true', true],
    ['not (true or true)', false],
    ['not not true', true],
    ['not 1 == 2', true],
    ['not msg contains "x" and host == "k8s02"', true],
    ['priority == 3 and msg ~ /conn/ or false', true],
    ['1 + 1 == 2 and 2 * 3 > 5', true],
  ],
  functions: [
    ['any(goroutine.frames, f -> f.func endsWith "processorListener).pop")', true],
    ['any(goroutine.frames, f -> f.func == "main.main")', false],
    ['all(goroutine.frames, f -> f.line > 0)', true],
    ['all(goroutine.frames, f -> f.file contains "k8s.io")', false],
    ['count(goroutine.frames, f -> f.func startsWith "k8s.io/")', 2],
    ['count(goroutine.frames, f -> true) == len(goroutine.frames)', true],
    ['any(goroutine.frames, f -> any(tags, t -> f.func contains t))', false],
    ['any(goroutine.frames, f -> count(goroutine.frames, g -> g.line < f.line) == 2)', true],
    ['any([], x -> true)', false],
    ['all([], x -> false)', true],
    ['any([1, 2, 3], x -> x * 2 == 6)', true],
    ['len(msg)', 41],
    ['len(goroutine.frames)', 3],
    ['len(klog.kv)', 3],
    ['lower("AbC")', 'abc'],
    ['upper(host)', 'K8S02'],
    ['int("42") + 1', 43],
    ['int(klog.kv.code) == 42', true],
    ['int(" -7 ")', -7],
    ['int("0x1f")', 31],
    ['int("x1")', null],
    ['int(4.7)', 4],
    ['exists(klog.kv.pod)', true],
    ['exists(klog.kv.nope)', false],
    ['exists(opt.missing)', false],
    ['goroutine.state == "select" and goroutine.waitMinutes >= 60', true],
  ],
  nulls: [
    ['opt.missing == null', true],
    ['null == opt.missing', true],
    ['opt.missing != null', false],
    ['msg != null', true],
    ['msg == null', false],
    ['opt.missing == "x"', false],
    ['opt.missing != "x"', true],
    ['opt.n < 5', false],
    ['opt.n >= 5', false],
    ['not (opt.n < 5)', true],
    ['opt.missing contains "x"', false],
    ['opt.missing startsWith "x"', false],
    ['opt.missing ~ /x/', false],
    ['opt.missing !~ /x/', false],
    ['opt.missing in ["x"]', false],
    ['len(opt.missing)', null],
    ['opt.n + 1', null],
    ['-opt.n', null],
    ['lower(opt.missing)', null],
    ['any(opt.list, x -> true)', false],
    ['all(opt.list, x -> true)', false],
    ['count(opt.list, x -> true)', 0],
    ['data.code == 5', true],
    ['data.nope == null', true],
  ],
};

describe('expr: expression in, value out', () => {
  for (const [group, list] of Object.entries(cases)) {
    describe(group, () => {
      it.each(list)('%s', (source, expected) => {
        expect(run(source)).toEqual(expected);
      });
    });
  }
});

describe('expr: regex captures', () => {
  it('writes named groups of a successful match into captures', () => {
    const captures: Record<string, string> = {};
    expect(run('msg ~ /connection(?<sid>\\d+):\\d+: detected conn error \\((?<code>\\d+)\\)/', captures)).toBe(true);
    expect(captures).toEqual({ sid: '1', code: '1020' });
  });
  it('leaves captures alone when the match fails or a group did not participate', () => {
    const captures: Record<string, string> = { keep: 'me' };
    expect(run('msg ~ /timeout (?<x>\\d+)/ or msg ~ /conn error \\((?<code>\\d+)\\)(?<tail> x)?/', captures)).toBe(true);
    expect(captures).toEqual({ keep: 'me', code: '1020' });
  });
  it('works without a captures object, and inside lambdas', () => {
    expect(run('msg ~ /(?<code>\\d+)/')).toBe(true);
    const captures: Record<string, string> = {};
    expect(run('any(goroutine.frames, f -> f.func ~ /\\.\\(\\*(?<type>\\w+)\\)\\.pop$/)', captures)).toBe(true);
    expect(captures).toEqual({ type: 'processorListener' });
  });
});

describe('expr: static results', () => {
  it('infers types', () => {
    const ty = (s: string) => {
      const r = compileExpr(s, env);
      return r.ok ? r.expr.type : r.errors;
    };
    expect(ty('ts - connErr.ts')).toEqual({ kind: 'duration' });
    expect(ty('connErr.ts + 1s')).toEqual({ kind: 'timestamp' });
    expect(ty('count(tags, x -> true)')).toEqual({ kind: 'number' });
    expect(ty('msg ~ /x/')).toEqual({ kind: 'bool' });
    expect(ty('klog.kv.pod')).toEqual({ kind: 'string' });
    expect(ty('goroutine.frames[0]')).toEqual({ kind: 'record', fields: { func: t.string, file: t.string, line: t.number } });
    expect(ty('data.x')).toEqual({ kind: 'unknown' });
  });
  it('lists the paths it reads, without lambda variables', () => {
    const r = compileExpr('msg ~ /x/ and ts - connErr.ts <= 10s and any(goroutine.frames, f -> f.func == klog.kv.pod) and msg != ""', env);
    expect(r.ok && r.expr.reads).toEqual(['msg', 'ts', 'connErr.ts', 'goroutine.frames', 'klog.kv.pod']);
  });
  it('collects required literals under and, not under or/not', () => {
    const lits = (s: string) => {
      const r = compileExpr(s, env);
      return r.ok ? r.expr.requiredLiterals : r.errors;
    };
    expect(lits('msg ~ /detected conn error \\(/')).toEqual(['detected conn error (']);
    expect(lits('msg contains "session recovery" and msg ~ /timed out after (?<secs>\\d+) secs/')).toEqual(['session recovery', 'timed out after ', ' secs']);
    expect(lits('klog.kv.pod startsWith "openebs/" and klog.file endsWith "eviction.go"')).toEqual(['eviction.go', 'openebs/']);
    expect(lits('msg contains "a" or msg contains "b"')).toEqual([]);
    expect(lits('not (msg contains "a")')).toEqual([]);
    expect(lits('msg ~ /conn error/i')).toEqual([]);
    expect(lits('lower(msg) contains "error"')).toEqual([]);
    expect(lits('any(goroutine.frames, f -> f.func endsWith "processorListener).pop")')).toEqual(['processorListener).pop']);
    expect(lits('all(goroutine.frames, f -> f.func contains "x")')).toEqual([]);
  });
  it('parseDuration', () => {
    expect(parseDuration('10s')).toBe(10_000_000);
    expect(parseDuration('500ms')).toBe(500_000);
    expect(parseDuration('250us')).toBe(250);
    expect(parseDuration('2d')).toBe(172_800_000_000);
    expect(parseDuration(' 1.5m ')).toBe(90_000_000);
    expect(parseDuration('10')).toBeNull();
    expect(parseDuration('10 s')).toBeNull();
    expect(parseDuration('s')).toBeNull();
  });
});

describe('expr: evaluate never throws', () => {
  const r = compileExpr(
    'msg ~ /x/ and klog.kv.pod startsWith "a" and any(goroutine.frames, f -> f.func == "x") and ts - connErr.ts < 1s and len(tags) > 1',
    env,
  );
  if (!r.ok) throw new Error('compile');
  const weird: Record<string, unknown>[] = [
    {},
    { msg: 5, klog: 'str', goroutine: { frames: 'not a list' }, ts: 'x', connErr: [], tags: 7 },
    { msg: null, klog: { kv: null }, goroutine: { frames: [null, 1, 'x', { func: 5 }] } },
    Object.create(null) as Record<string, unknown>,
    {
      get msg(): string {
        throw new Error('boom');
      },
    },
  ];
  it.each(weird.map((w, i) => [i, w] as const))('scope #%i', (_i, w) => {
    expect(() => r.expr.evaluate(w)).not.toThrow();
    expect(r.expr.evaluate(w) === false || r.expr.evaluate(w) === null).toBe(true);
  });
});

/** [source, message pattern, column] */
const errorCases: [string, RegExp, number][] = [
  // lexing
  ['msg = "x"', /^unexpected character '=' at column 5 \(use '==' to compare\)$/, 5],
  ['msg == "abc', /^unterminated string at column 8$/, 8],
  ['msg ~ /abc', /^unterminated regex at column 7/, 7],
  ['host == "a" && true', /unexpected characters '&&' at column 13 \(use 'and' \/ 'or'\)/, 13],
  ['ts - connErr.ts < 10x', /unexpected character/, 19],
  // parsing
  ['msg contains "x" and', /^expected a value after 'and' at column 21$/, 21],
  ['msg contains "x" and or true', /^expected a value after 'and' but found 'or' at column 22$/, 22],
  ['(msg == "a"', /^expected '\)' after '"a"' at column 12$/, 12],
  ['msg "x"', /^unexpected '"x"' after a complete expression/, 5],
  ['any(goroutine.frames, f ->)', /^expected a value after '->' but found '\)' at column 27$/, 27],
  ['klog.', /^expected a name after '.' at column 6$/, 6],
  ['[1, 2', /^expected '\]' after '2' at column 6$/, 6],
  ['', /^empty expression$/, 1],
  // names and fields
  ['klog.fil == "x"', /^unknown field "klog.fil" \(did you mean "klog.file"\?\)$/, 1],
  ['mgs contains "x"', /^unknown name "mgs" \(did you mean "msg"\?\)$/, 1],
  ['any(goroutine.frames, f -> f.fnuc == "x")', /^unknown field "f.fnuc" \(did you mean "f.func"\?\)$/, 28],
  ['goroutine.frames.func == "x"', /^cannot read field "func" of a list<record\{func, file, line\}>: use any\(\)/, 1],
  ['msg.length', /^cannot read field "length" of string$/, 1],
  ['foo(msg)', /^unknown function "foo"$/, 1],
  ['lowr(msg)', /^unknown function "lowr" \(did you mean "lower"\?\)$/, 1],
  ['len', /^len is a function/, 1],
  // types
  ['msg < 10s', /^cannot compare string with duration$/, 5],
  ['ts - connErr.ts <= 10', /^cannot compare duration with number \(write the unit, e.g. 10s\)$/, 17],
  ['klog.kv.pod == 5', /^cannot compare string with number$/, 13],
  ['ts + connErr.ts', /^cannot add timestamp and timestamp$/, 4],
  ['msg - 1', /^cannot subtract number from string$/, 5],
  ['1s * 1s', /^cannot multiply duration by duration$/, 4],
  ['opt.n < null', /^cannot order null/, 7],
  ['msg ~ "x"', /^~ needs a regex on the right/, 7],
  ['msg !~ klog.file', /^!~ needs a regex on the right/, 8],
  ['klog.line ~ /1/', /^~ needs a string on the left, got number$/, 1],
  ['msg and true', /^'and' needs a bool, got string \(msg\)$/, 1],
  ['not priority', /^'not' needs a bool, got number/, 5],
  ['priority contains "x"', /^contains needs a string or a list on the left, got number$/, 10],
  ['host in 5', /^'in' needs a list, a map or a string on the right, got number$/, 6],
  ['tags contains 5', /^cannot look for number in a list<string>$/, 6],
  ['any(msg, x -> true)', /^any\(\) needs a list as first argument, got string$/, 5],
  ['any(tags, true)', /^any\(\) needs a lambda as second argument/, 11],
  ['count(tags, x -> x)', /^the condition of count\(\) needs a bool, got string \(x\)$/, 18],
  ['len(msg, tags)', /^len\(\) takes 1 argument: len\(value\)$/, 1],
  ['lower(priority)', /^lower\(\) needs a string, got number$/, 7],
  ['exists("x")', /^exists\(\) needs a field path/, 8],
  ['len(x -> true)', /^a lambda \(x -> \.\.\.\) is only allowed as the second argument/, 5],
  ['/abc/', /^a regex literal is only allowed after ~ or !~$/, 1],
  ['goroutine.frames["x"]', /^a list index must be a number, got string$/, 18],
  // regexes
  ['msg ~ /(a+)+$/', /^unsafe regex: nested quantifiers in "\(a\+\)\+"/, 7],
  ['msg ~ /(\\w|\\d)*x/', /^unsafe regex: overlapping alternatives under a quantifier in "\(\\w\|\\d\)\*"/, 7],
  ['msg ~ /(?<x>a/', /^invalid regex: /, 7],
  ['msg ~ /a{2,1}/', /^invalid regex: /, 7],
  ['msg ~ /a/g', /^regex flag "g" is not allowed/, 7],
  // string escapes
  ['msg == "a\\qb"', /^invalid escape '\\q' in string$/, 10],
];

describe('expr: errors are data with 1-based columns', () => {
  it.each(errorCases)('%s', (source, message, column) => {
    const errs = errorsOf(source);
    expect(errs[0]!.message).toMatch(message);
    expect(errs[0]!.column).toBe(column);
    expect(errs[0]!.length).toBeGreaterThan(0);
  });

  it('reports every independent error, in column order', () => {
    const errs = errorsOf('mgs == "x" and klog.fil == "y" and msg < 1s');
    expect(errs.map((e) => [e.column, e.message])).toEqual([
      [1, 'unknown name "mgs" (did you mean "msg"?)'],
      [16, 'unknown field "klog.fil" (did you mean "klog.file"?)'],
      [40, 'cannot compare string with duration'],
    ]);
  });

  it('formats a diagnostic with a caret under the problem', () => {
    const source = 'klog.fil == "x"';
    expect(formatDiagnostic(source, errorsOf(source)[0]!)).toBe(
      'column 1: unknown field "klog.fil" (did you mean "klog.file"?)\n  klog.fil == "x"\n  ^^^^^^^^',
    );
  });

  it('accepts keywords as field names after a dot', () => {
    expect(run('data.in == null and data.not == null and klog.kv.contains == null')).toBe(true);
  });

  it('turns absurd nesting into an error instead of a stack overflow', () => {
    const deep = `${'('.repeat(20_000)}1${')'.repeat(20_000)}`;
    const r = compileExpr(deep, env);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[0]).toEqual({ message: 'expression is nested too deeply (more than 64 levels) at column 65', column: 65, length: 1 });
    expect(run(`${'('.repeat(64)}1${')'.repeat(64)} == 1`)).toBe(true);
    expect(run(`not not not not not not not not not not not not not not not not not not not not true`)).toBe(true);
  });

  it('does not let one failed parse leak into the next (the parser instance is reused)', () => {
    expect(compileExpr('msg and', env).ok).toBe(false);
    expect(compileExpr('msg ~ /x/', env).ok).toBe(true);
  });
});

/** [source, first syntax error: message, column, length] */
const syntaxErrorCases: [string, string, number, number][] = [
  [' ', 'empty expression', 1, 1],
  ['\n', 'empty expression', 1, 1],
  ['a b', "unexpected 'b' after a complete expression (missing 'and'/'or'?) at column 3", 3, 1],
  ['(a))', "unexpected ')' after a complete expression (missing 'and'/'or'?) at column 4", 4, 1],
  ['x -> 1', "unexpected '->' after a complete expression (missing 'and'/'or'?) at column 3", 3, 2],
  ['a == b == c', "unexpected '==' after a complete expression (missing 'and'/'or'?) at column 8", 8, 2],
  ['a < b < c', "unexpected '<' after a complete expression (missing 'and'/'or'?) at column 7", 7, 1],
  ["'it''s'", "unexpected ''s'' after a complete expression (missing 'and'/'or'?) at column 5", 5, 3],
  ['a not b', "expected 'in' after 'not' but found 'b' at column 7", 7, 1],
  ['a not', "expected 'in' after 'not' at column 6", 6, 1],
  ['not in', "expected a value after 'not' but found 'in' at column 5", 5, 2],
  ['-', "expected a value after '-' at column 2", 2, 1],
  [')', "expected a value at the start but found ')' at column 1", 1, 1],
  ['(', "expected a value after '(' at column 2", 2, 1],
  ['f(,)', "expected ')' after '(' but found ',' at column 3", 3, 1],
  ['f(a,)', "expected a value after ',' but found ')' at column 5", 5, 1],
  ['f(a b)', "expected ')' after 'a' but found 'b' at column 5", 5, 1],
  ['f(x ->', "expected a value after '->' at column 7", 7, 1],
  ['(x -> 1)', "expected ')' after 'x' but found '->' at column 4", 4, 2],
  ['[x -> 1]', "expected ']' after 'x' but found '->' at column 4", 4, 2],
  ['[,]', "expected ']' after '[' but found ',' at column 2", 2, 1],
  ['[1,]', "expected a value after ',' but found ']' at column 4", 4, 1],
  ['[1 2]', "expected ']' after '1' but found '2' at column 4", 4, 1],
  ['a[]', "expected a value after '[' but found ']' at column 3", 3, 1],
  ['a[1', "expected ']' after '1' at column 4", 4, 1],
  ['a.1', "expected a name after '.' but found '1' at column 3", 3, 1],
  ['a..b', "expected a name after '.' but found '.' at column 3", 3, 1],
  ['"x" +', "expected a value after '+' at column 6", 6, 1],
  ['x ~ / a', 'unterminated regex at column 5 (a regex is /.../flags; escape / inside as \\/)', 5, 3],
  ['a ~ /x/ /y/', "expected a value after '/' at column 12", 12, 1],
  ['10x', "unexpected characters '10' at column 1 (durations take a unit: ms, s, m, h, d)", 1, 2],
  ['1.5.3 > 1', "unexpected character '1' at column 1 (durations take a unit: ms, s, m, h, d)", 1, 1],
  ['µs', "unexpected character 'µ' at column 1", 1, 1],
  ['x\u00a0y', "unexpected character '\u00a0' at column 2", 2, 1],
  ['a\fb', "unexpected character '\f' at column 2", 2, 1],
];

describe('expr: syntax', () => {
  it.each(syntaxErrorCases)('%j: first error', (source, message, column, length) => {
    expect(errorsOf(source)[0]).toEqual({ message, column, length });
  });

  it('reports every lexing error and every bad escape', () => {
    expect(errorsOf('"a\\')).toEqual([
      { message: 'unterminated string at column 1', column: 1, length: 3 },
      { message: "unexpected character '\\' at column 3", column: 3, length: 1 },
    ]);
    expect(errorsOf('"\\q" == "\\z"')).toEqual([
      { message: "invalid escape '\\q' in string", column: 2, length: 2 },
      { message: "invalid escape '\\z' in string", column: 10, length: 2 },
    ]);
  });

  it('builds the AST with source spans', () => {
    const ast = (source: string): unknown => {
      const r = parseExpr(source);
      if (!r.ok) throw new Error(r.errors[0]!.message);
      return r.ast;
    };
    const name = (n: string, s: number): unknown => ({ k: 'name', name: n, s, e: s + n.length });
    expect(ast('a not in b')).toEqual({ k: 'bin', op: 'not in', l: name('a', 0), r: name('b', 9), s: 0, e: 10, opS: 2, opE: 8 });
    expect(ast('a\n== b')).toEqual({ k: 'bin', op: '==', l: name('a', 0), r: name('b', 5), s: 0, e: 6, opS: 2, opE: 4 });
    // `-literal` is folded; parentheses widen the span.
    expect(ast('-10s')).toEqual({ k: 'lit', lit: 'duration', v: -10_000_000, s: 0, e: 4 });
    expect(ast('- -1')).toEqual({ k: 'lit', lit: 'number', v: 1, s: 0, e: 4 });
    expect(ast('-(1)')).toEqual({ k: 'lit', lit: 'number', v: -1, s: 0, e: 4 });
    expect(ast('-x')).toEqual({ k: 'neg', x: name('x', 1), s: 0, e: 2 });
    expect(ast('1µs')).toEqual({ k: 'lit', lit: 'duration', v: 1, s: 0, e: 3 });
    expect(ast('a.b.c[0].d')).toEqual({
      k: 'field',
      obj: {
        k: 'index',
        obj: { k: 'field', obj: { k: 'field', obj: name('a', 0), name: 'b', nameS: 2, s: 0, e: 3 }, name: 'c', nameS: 4, s: 0, e: 5 },
        index: { k: 'lit', lit: 'number', v: 0, s: 6, e: 7 },
        s: 0,
        e: 8,
      },
      name: 'd',
      nameS: 9,
      s: 0,
      e: 10,
    });
    expect(ast('f(x -> x, y -> y)')).toEqual({
      k: 'call',
      fn: 'f',
      args: [
        { k: 'lambda', param: 'x', paramE: 3, body: name('x', 7), s: 2, e: 8 },
        { k: 'lambda', param: 'y', paramE: 11, body: name('y', 15), s: 10, e: 16 },
      ],
      fnE: 1,
      s: 0,
      e: 17,
    });
    expect(ast('f()')).toEqual({ k: 'call', fn: 'f', args: [], fnE: 1, s: 0, e: 3 });
    expect(ast('[]')).toEqual({ k: 'list', items: [], s: 0, e: 2 });
    // A `/` after a value divides; where a value starts, it opens a regex.
    expect(ast('a / /b/')).toEqual({ k: 'bin', op: '/', l: name('a', 0), r: { k: 'regex', body: 'b', flags: '', s: 4, e: 7 }, s: 0, e: 7, opS: 2, opE: 3 });
    expect(ast('/b/ / a')).toEqual({ k: 'bin', op: '/', l: { k: 'regex', body: 'b', flags: '', s: 0, e: 3 }, r: name('a', 6), s: 0, e: 7, opS: 4, opE: 5 });
  });

  it("passes chevrotain's checks of the token definitions, the grammar and the CST visitor (skipped at run time)", () => {
    const checked = createSyntax({ validate: true });
    const sources = [
      ...Object.values(cases).flatMap((list) => list.map(([source]) => source)),
      ...errorCases.map(([source]) => source),
      ...syntaxErrorCases.map(([source]) => source),
    ];
    for (const source of sources) expect(checked(source), source).toEqual(parseExpr(source));
  });

  it('answers a source with a pre-built AST from a copy of it, without parsing', () => {
    const source = 'opt.n > 1 and any(tags, x -> x == "prebuilt")';
    const parsed = parseExpr(source);
    if (!parsed.ok) throw new Error('parse');
    const pristine = structuredClone(parsed.ast);
    // A stand-in tree proves the parser is not asked.
    const { ast: other } = parseExpr('opt.n > 2') as { ast: ExprNode };
    addPrebuiltAsts([
      [source, parsed.ast],
      ['stand-in: not an expression', other],
    ]);
    expect(compileExpr('stand-in: not an expression', env)).toMatchObject({ ok: true, expr: { reads: ['opt.n'] } });
    // The type checker annotates the tree it gets (types, lambda slots): never the stored one.
    expect(compileExpr(source, env).ok).toBe(true);
    expect(compileExpr(source, { ...env, tags: t.list(t.number) })).toMatchObject({ ok: false, errors: [{ message: 'cannot compare number with string' }] });
    expect(run(source)).toBe(false);
    expect(parsed.ast).toEqual(pristine);
    expect(JSON.stringify(parsed.ast)).toBe(JSON.stringify(pristine));
    expect(parseExpr(source)).toEqual({ ok: true, ast: pristine, errors: [] });
  });
});
