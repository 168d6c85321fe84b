import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules, readRuleFiles } from '../../src/rules/loader.js';
import { checkRules } from '../../src/rules/check.js';
import { testRules } from '../../src/rules/self-test.js';
import { makeTree, repoRoot } from '../helpers.js';

// Every ```yaml block of docs/rules.md that holds rules is loaded, checked and self-tested, so the
// documentation a user writes rules from cannot rot.
const doc = readFileSync(join(repoRoot, 'docs/rules.md'), 'utf8');
const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => /^rules:/m.test(b));

describe('docs/rules.md examples', () => {
  it('has rule examples', () => expect(blocks.length).toBeGreaterThanOrEqual(5));

  it('all load, check and pass their own examples (together with the built-in pack)', async () => {
    const files: Record<string, string> = {};
    blocks.forEach((b, i) => (files[`doc-${i}.yaml`] = b));
    const dir = makeTree(files);
    const src = await readRuleFiles([dir]);
    expect(src.diagnostics).toEqual([]);
    expect(checkRules(src.rules).filter((d) => d.severity === 'error')).toEqual([]);
    const mine = (await loadRules([dir])).filter((r) => !r.file.startsWith('builtin:'));
    const all = await loadRules([dir]);
    const results = (await testRules(all)).filter((r) => mine.some((m) => m.rule.id === r.rule));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.length).toBeGreaterThan(10);
    writeFileSync(join(dir, 'done'), '');
  });
});
