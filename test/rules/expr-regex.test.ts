import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { regexRequiredLiterals, regexRisk } from '../../src/rules/expr/index.js';

/** Known catastrophic-backtracking patterns (OWASP ReDoS list and classics). */
const evil = [
  '(a+)+',
  '(a+)+$',
  '(a|a)*',
  '(a|aa)+',
  '(a|ab)*c',
  '(.*)*',
  '(.*a){1,}x',
  '([a-zA-Z]+)*',
  '(\\w+\\s?)+$',
  '(x+x+)+y',
  '^(([a-z])+.)+[A-Z]([a-z])+$',
  '^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$',
  '(\\d|\\w)+$',
  '(?:a*)*b',
  '(?<word>\\w+\\s*)+=',
  '(\\s*\\S*)+!',
];

/** Patterns real rules use: anchored literals, single-level quantifiers, unambiguous repeats. */
const safe = [
  'connection(?<sid>\\d+):\\d+: detected conn error \\((?<code>\\d+)\\)',
  'detected conn error \\(',
  'session(?<sid>\\d+): session recovery timed out after (?<secs>\\d+) secs',
  'I/O error, dev (?<dev>sd[a-z]+), sector (?<sector>\\d+)',
  '\\[(?<dev>sd[a-z]+)\\] tag#\\d+ FAILED Result: hostbyte=(?<host>\\w+) driverbyte=(?<drv>\\w+)',
  'EXT4-fs error \\(device (?<dev>[\\w-]+)\\): (?<func>\\w+):(?<line>\\d+):',
  'Buffer I/O error on dev (?<dev>\\S+), logical block (?<block>\\d+)',
  '^goroutine (?<id>\\d+) \\[(?<state>[^\\],]+)(?:, (?<mins>\\d+) minutes)?\\]:$',
  '(?:\\d+\\.)+\\d+',
  '(\\s*,\\s*\\w+)*',
  '(?:[^"\\\\]|\\\\.)*',
  '(?:foo|bar)+',
  'a{1,3}b{2}',
  '.*error.*',
  'eth\\d+: link becomes ready',
  '(ab|cd)*',
];

describe('regexRisk', () => {
  it.each(evil)('flags %s', (p) => {
    const risk = regexRisk(p);
    expect(risk).not.toBeNull();
    expect(risk).toMatch(/^(nested quantifiers|overlapping alternatives)/);
  });
  it.each(safe)('accepts %s', (p) => {
    expect(regexRisk(p)).toBeNull();
  });
  it('names the offending part', () => {
    expect(regexRisk('^id=(a+)+$')).toBe(
      'nested quantifiers in "(a+)+": the repeated "a+" inside a repeat can match the same text in exponentially many ways',
    );
    expect(regexRisk('x(a|a)*')).toMatch(/^overlapping alternatives under a quantifier in "\(a\|a\)\*"/);
  });
  it('takes case-insensitivity into account for overlaps', () => {
    expect(regexRisk('(?:a|A)+')).toBeNull();
    expect(regexRisk('(?:a|A)+', 'i')).not.toBeNull();
  });
  it('reports invalid patterns instead of throwing', () => {
    expect(regexRisk('(')).toBe('not a valid regular expression');
  });
});

describe('regexRequiredLiterals', () => {
  const cases: [string, string[]][] = [
    ['detected conn error \\(', ['detected conn error (']],
    ['connection(?<sid>\\d+):\\d+: detected conn error \\((?<code>\\d+)\\)', [': detected conn error (', 'connection', ')']],
    ['I/O error, dev (?<dev>sd[a-z]+), sector (?<sector>\\d+)', ['I/O error, dev sd', ', sector ']],
    ['a(b|c)d', ['a', 'd']],
    ['foo(bar|baz)qux', ['fooba', 'qux']],
    ['(abc)+x', ['abcx']],
    ['ab{3}c', ['abbbc']],
    ['x?y*', []],
    ['x|y', []],
    ['(?:session|connection)\\d+', ['ion']],
    ['(?:timed out|timeout) after', ['out after', 'time']],
    ['^\\s*created by (?<fn>\\S+)', ['created by ']],
    ['eth\\d+: link becomes ready$', [': link becomes ready', 'eth']],
    ['\\x41\\u0042\\t', ['AB\t']],
    ['conn(?=ection)', ['conn']],
    ['a.b', ['a', 'b']],
  ];
  it.each(cases)('%s', (p, expected) => {
    expect(regexRequiredLiterals(p)).toEqual(expected);
  });
  it('gives nothing for case-insensitive or invalid patterns', () => {
    expect(regexRequiredLiterals('conn error', 'i')).toEqual([]);
    expect(regexRequiredLiterals('(')).toEqual([]);
  });

  // Soundness: every string the regex matches contains every literal said to be required.
  const props = [
    'connection(?<sid>\\d+):\\d+: detected conn error \\((?<code>\\d+)\\)',
    'I/O error, dev (?<dev>sd[a-z]+), sector (?<sector>\\d+)',
    'a(b|c)d',
    'foo(bar|baz)qux',
    '(abc)+x',
    '(?:timed out|timeout) after \\d+(?:ms|s)',
    '(x+y)+z',
    'p(?:ab|ac)q',
  ];
  it.each(props)('is sound for %s', (p) => {
    const re = new RegExp(p);
    const lits = regexRequiredLiterals(p);
    fc.assert(
      fc.property(fc.stringMatching(re), (s) => {
        expect(re.test(s)).toBe(true);
        for (const lit of lits) expect(s).toContain(lit);
      }),
      { numRuns: 300 },
    );
  });
});
