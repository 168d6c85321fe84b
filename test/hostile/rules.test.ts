import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { RuleError } from '../../src/model/errors.js';
import { regexProblem } from '../../src/rules/regex.js';
import { runCli, syslogLines, tmpTree } from './helpers.js';

/** A valid file whose rule ids end with `n` (files are checked together: ids must differ). */
const base = (n: string): string => `rules:
  - id: sig.my-conn-${n}
    kind: signature
    event: my.conn_error
    title: my conn error
    match:
      regex: 'detected conn error \\((?<code>\\d+)\\)'
      literals: ['detected conn error']
  - id: my-chain-${n}
    kind: chain
    severity: high
    title: my chain
    steps:
      - name: err
        event: my.conn_error
      - name: again
        event: my.conn_error
        after: { step: err, within: 5m }
    explanation: two errors
    remediation: [fix it]
`;

/** Broken variants of a valid file, with what their one-line diagnostic must say. */
const BROKEN: Record<string, { text: string; rule?: string; path?: string; message: RegExp }> = {
  'typo-field.yaml': { text: base('typo-field').replace('    title: my chain', '    titel: my chain'), rule: 'my-chain-typo-field', path: '/rules/1', message: /unknown field "titel" \(did you mean "title"\?\)/ },
  'wrong-type.yaml': { text: base('wrong-type').replace('    remediation: [fix it]', '    remediation: 42'), rule: 'my-chain-wrong-type', path: '/rules/1/remediation', message: /must be an array \(got number 42\)/ },
  'bad-severity.yaml': { text: base('bad-severity').replace('severity: high', 'severity: urgent'), rule: 'my-chain-bad-severity', path: '/rules/1/severity', message: /must be one of "critical", "high"/ },
  'bad-duration.yaml': { text: base('bad-duration').replace('within: 5m', 'within: 5 minutes'), rule: 'my-chain-bad-duration', path: '/rules/1/steps/1/after/within', message: /must be a duration such as 500ms, 10s/ },
  'unknown-step.yaml': { text: base('unknown-step').replace('step: err,', 'step: eror,'), rule: 'my-chain-unknown-step', path: '/rules/1/steps/1/after/step', message: /unknown step "eror"/ },
  'where-error.yaml': {
    text: base('where-error').replace('        after: { step: err, within: 5m }', '        after: { step: err, within: 5m }\n        where: "code == 1020 and and x"'),
    rule: 'my-chain-where-error',
    path: '/rules/1/steps/1/where: col 18',
    message: /expected a value after 'and'/,
  },
  'redos.yaml': { text: base('redos').replace(/regex: '.*'/, () => "regex: '(a+)+$'"), rule: 'sig.my-conn-redos', path: '/rules/0/match/regex', message: /regex can backtrack catastrophically: nested quantifiers in "\(a\+\)\+"/ },
  'bad-regex.yaml': { text: base('bad-regex').replace(/regex: '.*'/, "regex: 'conn (error'"), rule: 'sig.my-conn-bad-regex', path: '/rules/0/match/regex', message: /invalid regex: .*Unterminated group/ },
  'duplicate-id.yaml': { text: base('dup').replace('id: my-chain-dup', 'id: sig.my-conn-dup'), rule: 'sig.my-conn-dup', path: '/rules/1/id', message: /duplicate rule id/ },
  'bad-yaml.yaml': { text: 'rules:\n  - id: x\n    kind: [signature\n', message: /not valid YAML \(line \d+, column \d+\)/ },
  'bad-json.json': { text: '{"rules": [ {"id": "j", ', message: /not valid JSON/ },
};

describe('broken rule files', () => {
  const root = tmpTree(Object.fromEntries(Object.entries(BROKEN).map(([f, b]) => [`rules/${f}`, b.text])));
  const logs = tmpTree({ 'syslog': syslogLines(3) });

  const checkLine = (out: string, file: string): string => {
    const lines = out.split('\n').filter((l) => l.includes(file) && /: error: /.test(l));
    expect(lines, `diagnostics of ${file}:\n${out}`).toHaveLength(1);
    return lines[0];
  };

  it('`forensics rules check`: one line per problem naming file, rule id, JSON path and a human sentence', () => {
    const r = runCli(['rules', 'check', join(root, 'rules')]);
    expect(r.code).toBe(1);
    for (const [file, b] of Object.entries(BROKEN)) {
      const line = checkLine(r.stdout, file);
      expect(line.startsWith(join(root, 'rules', file)) || line.startsWith(`../`) || line.includes(`rules/${file}`)).toBe(true);
      if (b.rule) expect(line).toContain(`: rule ${b.rule}: ${b.path}: error: `);
      expect(line).toMatch(b.message);
      // Human sentences, not ajv dumps.
      expect(line).not.toMatch(/instancePath|schemaPath|keyword|must match "then" schema|must NOT have additional/);
    }
  });

  it('`forensics analyze --rules bad.yaml` refuses to run: exit 2, the same one-line diagnostics on stderr', () => {
    const r = runCli(['analyze', '--rules', join(root, 'rules/typo-field.yaml'), '--rules', join(root, 'rules/redos.yaml'), logs]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^forensics: .*typo-field\.yaml: rule my-chain-typo-field: \/rules\/1: error: unknown field "titel" \(did you mean "title"\?\)$/);
    expect(lines[1]).toMatch(/^forensics: .*redos\.yaml: rule sig\.my-conn-redos: \/rules\/0\/match\/regex: error: regex can backtrack catastrophically/);
  });

  it('the library throws a RuleError whose diagnostics carry file, rule, path and column', async () => {
    const err = await analyze([logs], { rules: [join(root, 'rules/where-error.yaml')] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuleError);
    expect((err as RuleError).diagnostics).toContainEqual(expect.objectContaining({ rule: 'my-chain-where-error', path: '/rules/1/steps/1/where', column: 18, severity: 'error' }));
  });

  it('exponential-backtracking regexes are refused', () => {
    for (const p of ['(a+)+$', '(a|aa)+$', '(\\w+\\s?)+$', '(.*,)*x', '^(\\w+|\\d+)+$', '(x+x+)+y']) expect(regexProblem(p), p).toMatch(/backtrack catastrophically/);
    for (const p of ['detected conn error \\((?<code>\\d+)\\)', 'foo.*bar.*baz', '([^,]*,)*$']) expect(regexProblem(p), p).toBeNull();
  });

  // Quadratic patterns: `\s+$` against a 1 MB line of spaces takes minutes in V8 (50 KB: ~1 s).
  it('polynomial (quadratic) backtracking such as \\s+$ is refused too', () => {
    expect(regexProblem('\\s+$')).toMatch(/backtrack/);
  });
});
