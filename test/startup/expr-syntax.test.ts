/**
 * The hand-written lexer and parser of src/rules/expr/syntax.ts against the chevrotain front end they
 * replaced (kept in ./chevrotain-oracle): same tokens, same lex errors, same AST with the same spans,
 * and the same first syntax error, word for word, with the same column and length.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseExpr, tokenize } from '../../src/rules/expr/syntax.js';
import { oracleParse, oracleTokens } from './chevrotain-oracle/front.js';

function same(src: string): void {
  const mine = tokenize(src);
  const ref = oracleTokens(src);
  expect(mine.errors, `lex errors of ${JSON.stringify(src)}`).toEqual(ref.errors);
  expect(mine.tokens, `tokens of ${JSON.stringify(src)}`).toEqual(ref.tokens);
  expect(parseExpr(src), `parse of ${JSON.stringify(src)}`).toEqual(oracleParse(src));
}

const vocabulary = [
  'msg', 'ts', 'tags', 'klog', '.', 'kv', 'pod', 'file', 'connErr', 'goroutine', 'frames', 'f', 'func', 'data', 'x', '$m', '_y',
  'and', 'or', 'not', 'in', 'contains', 'startsWith', 'endsWith', 'true', 'false', 'null', 'order', 'inx', 'nothing', 'nullx',
  '==', '!=', '<', '<=', '>', '>=', '~', '!~', '!', '=', '===', '&&', '||', '&', '|', '#', '@', 'µ', '?', ':', ';', '{', '}',
  '+', '-', '*', '/', '(', ')', '[', ']', ',', '->', '-->', '--', '..', 'any', 'all', 'count', 'len', 'lower', 'exists', 'int',
  '"a"', "'b\\n'", '"\\q"', '"\\x41\\u{1F600}\\u00e9"', '"unterminated', "'", '"', '\\', '1', '2.5', '1.5.3', '1e3', '2.5E-2', '10x', '10s',
  '500ms', '1.5m', '3us', '2µs', '1d', '1h', '07', '/x(?<c>\\d+)/', '/(a+)+/i', '/[/]/', '/a\\/b/', '/', '//', '/[/', '/a/gim',
];

const glued = fc.array(fc.constantFrom(...vocabulary), { maxLength: 14 }).map((a) => a.join(''));
const spaced = fc.array(fc.constantFrom(...vocabulary), { maxLength: 14 }).map((a) => a.join(' '));
const mixed = fc
  .array(fc.tuple(fc.constantFrom(...vocabulary), fc.constantFrom('', ' ', '  ', '\t', '\n')), { maxLength: 16 })
  .map((a) => a.map(([w, sep]) => w + sep).join(''));
const chars = fc
  .array(fc.constantFrom(...'abinortu$_019.eE+-*/\\()[],"\'~!=<>&| \t\nµsmhd#'.split('')), { maxLength: 40 })
  .map((a) => a.join(''));

/** Every `where` of the built-in pack and of the examples, as written (macros unexpanded) and in a few broken forms. */
function packWheres(): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'where' && typeof x === 'string') out.push(x);
        else if (k === 'macros' && x && typeof x === 'object') out.push(...Object.values(x).filter((m): m is string => typeof m === 'string'));
        else walk(x);
      }
    }
  };
  for (const dir of ['src/rules/pack', 'examples/rules']) {
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
    } catch {
      continue;
    }
    for (const f of files) walk(parseYaml(readFileSync(join(dir, f), 'utf8')));
  }
  return out;
}

describe('expression syntax: the hand-written parser matches the chevrotain one', () => {
  it('on the where conditions of the rule pack and the examples, whole and cut short', () => {
    const wheres = packWheres();
    expect(wheres.length).toBeGreaterThan(0);
    for (const w of wheres) {
      same(w);
      for (let i = 0; i < w.length; i += 3) {
        same(w.slice(0, i));
        same(w.slice(i));
        same(`${w.slice(0, i)} ${w.slice(i + 1)}`);
      }
    }
  });

  it('on hand-picked cases', () => {
    for (const src of [
      '', ' ', 'a', 'a b', 'a not b', 'a not', 'not', 'not in', 'a not in b', '-', '- -1', '--1', '-10s', '-(1)', '-x', 'f()', 'f(,)', 'f(a,)', 'f(a b)',
      'f(x -> )', 'f(x ->', 'f(x -> x, y -> y)', 'f(1, x -> x > 1)', '(x -> 1)', '[x -> 1]', 'x -> 1', '[]', '[,]', '[1,]', '[1 2]', 'a[', 'a[]', 'a[1',
      'a.b.c[0].d', 'a.in.not.or', 'a.', 'a.1', 'a..b', '(a', '(a))', 'a)', ')', ']', '(', 'a / b', 'a / /b/', '/b/ / a', 'msg ~ /abc', 'x ~ / a',
      'a ~ /x/ /y/', '1/2', ')/x/', '"a" "b"', '"\\q" == "\\z"', '"a\\', "'it''s'", '"x" +', 'a == b == c', 'a < b < c', 'a !~ /x/i', 'a in [1, 2]',
      'a contains "x" and b startsWith "y" or c endsWith "z"', 'a = b', 'a & b', '10x', '1.5.3 > 1', 'µs', '1µs', 'x\u00a0y', 'a\fb', '\n', 'a\n== b',
      `${'('.repeat(65)}1${')'.repeat(65)}`, `${'['.repeat(64)}${']'.repeat(64)}`,
    ]) {
      same(src);
    }
  });

  it('on random token soup and random characters', () => {
    fc.assert(fc.property(fc.oneof(glued, spaced, mixed, chars, fc.string({ maxLength: 40 })), same), { numRuns: 20_000 });
  });
});
