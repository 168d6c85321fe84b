/**
 * Rule expressions in a thread where chevrotain cannot be loaded (as in a worker thread of a Node that
 * cannot require() ES modules): expressions with a pre-built AST still compile, any other fails loudly,
 * never as a condition that is silently false.
 */
import { describe, expect, it, vi } from 'vitest';
import { addPrebuiltAsts, compileExpr, t, type ExprNode } from '../../src/rules/expr/index.js';
import { checkRules } from '../../src/rules/check.js';
import { parseRuleText } from '../../src/rules/loader.js';
import { Classifier } from '../../src/rules/signatures.js';

vi.mock('../../src/rules/expr/chevrotain.js', () => ({
  canLoadSynchronously: () => true,
  preloadChevrotain: async () => {},
  chevrotain: () => {
    throw new Error('no chevrotain here');
  },
}));

const rules = parseRuleText(
  "- { id: sig.a, kind: signature, event: a, match: { regex: '^a (?<n>\\d+)' }, captures: { n: int }, where: 'n > 1' }\n",
  'test.yaml',
);

describe('without the expression parser', () => {
  it('compiles an expression from its pre-built AST', () => {
    // `n > 1` as the build stores it.
    const ast: ExprNode = { k: 'bin', op: '>', l: { k: 'name', name: 'n', s: 0, e: 1 }, r: { k: 'lit', lit: 'number', v: 1, s: 4, e: 5 }, s: 0, e: 5, opS: 2, opE: 3 };
    expect(rules.diagnostics).toEqual([]);
    addPrebuiltAsts([['n > 1', ast]]);
    const r = compileExpr('n > 1', { n: t.number });
    expect(r.ok && r.expr.evaluate({ n: 2 })).toBe(true);
    expect(new Classifier(rules.rules).signatures[0]!.where!({ captures: { n: 5 }, n: 5 } as never)).toBe(true);
  });

  it('reports any other expression as an error, and refuses to compile it into a rule', () => {
    expect(compileExpr('n > 2', { n: t.number })).toEqual({
      ok: false,
      errors: [{ message: 'internal error: no chevrotain here', column: 1, length: 5 }],
    });
    const other = parseRuleText(
      "- { id: sig.b, kind: signature, event: b, match: { regex: '^b (?<n>\\d+)' }, captures: { n: int }, where: 'n > 2' }\n",
      'test.yaml',
    );
    expect(other.diagnostics).toEqual([]);
    expect(checkRules(other.rules).map((d) => d.message)).toContain('internal error: no chevrotain here');
    expect(() => new Classifier(other.rules)).toThrow('test.yaml: rule sig.b: /0/where: internal error: no chevrotain here');
  });
});
