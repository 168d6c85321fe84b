import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src/model/event.js';
import { loadRules } from '../../src/rules/loader.js';
import { Classifier } from '../../src/rules/signatures.js';

/**
 * The classifier's one-regex gate (any signature literal in the message?) changes nothing: a signature
 * is tried exactly when one of its literals is in the message, as with an `includes` per literal.
 */
let classifier: Classifier;
beforeAll(async () => {
  classifier = new Classifier(await loadRules([], { builtin: true }));
});

const event = (msg: string, program: string): LogEvent => ({ ts: 0, quality: 'exact', precision: 1, host: 'h', file: 'f', line: 1, lines: 1, offset: 0, format: 'syslog', text: msg, msg, program });

/** Kinds the signatures without `where` give, found the plain way. */
function expectedKinds(e: LogEvent): string[] {
  return classifier.signatures
    .filter((s) => !s.where)
    .filter((s) => s.literals.length === 0 || s.literals.some((l) => e.msg.includes(l)))
    .filter((s) => !s.programs || (e.program !== undefined && s.programs.has(e.program)))
    .filter((s) => s.re.test(e.msg))
    .map((s) => s.rule.event);
}

describe('Classifier literal gate', () => {
  it('classifies random messages made of literals, their pieces and regex metacharacters as the plain test does', () => {
    const literals = [...new Set(classifier.signatures.flatMap((s) => s.literals))];
    expect(literals.some((l) => /[()[\].]/.test(l))).toBe(true);
    const piece = fc.oneof(
      fc.constantFrom(...literals),
      fc.constantFrom(...literals).chain((l) => fc.nat(l.length).map((k) => l.slice(0, k))),
      fc.constantFrom(...literals).chain((l) => fc.nat(l.length).map((k) => l.slice(k))),
      fc.constantFrom(' ', '(', ')', '[', ']', '.', '*', '\\', '|', '0', 'sdb', ': ', 'iscsid', '\n'),
      fc.string({ maxLength: 8 }),
    );
    const programs = fc.constantFrom('kernel', 'iscsid', 'microk8s.daemon-kubelite', 'systemd', 'app');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), programs, (parts, program) => {
        const e = event(parts.join(''), program);
        const noWhere = new Set(classifier.signatures.filter((s) => !s.where).map((s) => s.rule.event));
        const got = classifier.classify(e).map((x) => x.kind!).filter((k) => noWhere.has(k));
        expect(got).toEqual(expectedKinds(e));
      }),
      { numRuns: 3000 },
    );
  });
});
