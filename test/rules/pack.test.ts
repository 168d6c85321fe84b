import { describe, expect, it } from 'vitest';
import { loadRules, readRuleFiles } from '../../src/rules/loader.js';
import { testRules } from '../../src/rules/self-test.js';
import { checkRules } from '../../src/rules/check.js';

describe('built-in rule pack', () => {
  it('loads with no schema or semantic errors', async () => {
    const src = await readRuleFiles([]);
    expect(src.diagnostics).toEqual([]);
    expect(checkRules(src.rules).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it("passes every rule's embedded examples and derived boundary cases", async () => {
    const results = await testRules(await loadRules());
    const failed = results.filter((r) => !r.ok);
    expect(failed).toEqual([]);
    expect(results.length).toBeGreaterThan(10);
  });
});
