import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src/model/event.js';
import { Coverage } from '../../src/correlators/coverage.js';
import { runRules } from '../../src/correlators/engine.js';
import { checkRules } from '../../src/rules/check.js';
import { parseRuleText } from '../../src/rules/loader.js';
import { Classifier } from '../../src/rules/signatures.js';
import type { LoadedRule } from '../../src/rules/types.js';
import { EventStore } from '../../src/store/event-store.js';

const S = 1_000_000;
const T0 = Date.UTC(2026, 4, 28, 10, 0, 0) * 1000;
let line = 0;

/** An event of `kind` at T0 + seconds, with captures. */
function ev(kind: string, sec: number, captures: Record<string, string | number> = {}, host = 'a', msg = kind): LogEvent {
  line++;
  return { ts: T0 + sec * S, quality: 'exact', precision: 1, host, file: `${host}.log`, line, lines: 1, offset: 0, format: 'syslog', text: msg, msg, kind, captures };
}

function rules(yaml: string): LoadedRule[] {
  // Signatures so that kinds are known to the checker; the tests add events directly.
  const sigs = ['a', 'b', 'c', 'd'].map((k) => `  - { id: sig.${k}, kind: signature, event: ${k}, match: { regex: '^${k}(?<x>\\d*) (?<y>\\w*)' } }`).join('\n');
  const src = parseRuleText(`rules:\n${sigs}\n${yaml}`, 'test.yaml');
  expect(src.diagnostics).toEqual([]);
  expect(checkRules(src.rules).filter((d) => d.severity === 'error')).toEqual([]);
  return src.rules;
}

function run(rs: LoadedRule[], events: LogEvent[], coverage?: Coverage, nearMisses = false) {
  const store = new EventStore();
  for (const e of events) store.add(e);
  return runRules(store, rs, { coverage, nearMisses, classifier: new Classifier(rs) });
}

const base = 'severity: high\n    title: t\n    explanation: e';

describe('chain semantics', () => {
  it('per-step windows anchored to any earlier step', () => {
    const rs = rules(`
  - id: r
    kind: chain
    ${base}
    steps:
      - { name: s1, event: a }
      - { name: s2, event: b, after: { step: s1, within: 10s } }
      - { name: s3, event: c, after: { step: s1, within: 60s } }`);
    // c is 50 s after a: within s3's window (anchored to s1), though far from s2.
    expect(run(rs, [ev('a', 0), ev('b', 5), ev('c', 50)]).findings).toHaveLength(1);
    expect(run(rs, [ev('a', 0), ev('b', 15), ev('c', 50)]).findings).toHaveLength(0);
    expect(run(rs, [ev('a', 0), ev('b', 5), ev('c', 70)]).findings).toHaveLength(0);
    // Before its anchor does not count.
    expect(run(rs, [ev('b', 0), ev('a', 5), ev('c', 10)]).findings).toHaveLength(0);
  });

  it('windows respect timestamp precision (a syslog second hides up to 1 s)', () => {
    const rs = rules(`
  - id: r
    kind: chain
    ${base}
    steps:
      - { name: s1, event: a }
      - { name: s2, event: b, after: { step: s1, within: 2s } }`);
    const coarse = (e: LogEvent): LogEvent => ({ ...e, precision: S });
    expect(run(rs, [coarse(ev('a', 0)), coarse(ev('b', 3))]).findings).toHaveLength(1);
    expect(run(rs, [ev('a', 0), ev('b', 3)]).findings).toHaveLength(0);
  });

  it('joins whose keys change along the chain, and all matches', () => {
    const rs = rules(`
  - id: r
    kind: chain
    ${base}
    group: [host, dev]
    entities: { dev: '{s3.dev}', sessions: 'collect(s2.sid)' }
    steps:
      - { name: s1, event: a }
      - { name: s2, event: b, after: { step: s1, within: 5m } }
      - { name: s3, event: c, after: { step: s2, within: 5m } }
      - { name: s4, event: d, after: { step: s2, within: 5m } }`);
    // a(sid) -> b(sid) -> c(sid, dev) -> d(dev): the key changes from sid to dev.
    const events = [
      ev('a', 0, { sid: '1' }),
      ev('a', 0, { sid: '2' }),
      ev('b', 60, { sid: '1' }),
      ev('b', 60, { sid: '2' }),
      ev('c', 61, { sid: '1', dev: 'sdb' }),
      ev('c', 61, { sid: '2', dev: 'sdc' }),
      ev('d', 70, { dev: 'sdc' }),
      ev('d', 71, { dev: 'sdb' }),
      ev('d', 72, { dev: 'sdz' }),
    ];
    const f = run(rs, events).findings;
    expect(f.map((x) => [x.entities.dev, x.entities.sessions])).toEqual([
      ['sdb', ['1']],
      ['sdc', ['2']],
    ]);
    // A join value that does not match breaks the chain.
    expect(run(rs, [ev('a', 0, { sid: '1' }), ev('b', 60, { sid: '2' }), ev('c', 61, { sid: '2', dev: 'sdb' }), ev('d', 70, { dev: 'sdb' })]).findings).toHaveLength(0);
  });

  it('all matches: overlapping chains are each found (not only the latest)', () => {
    const rs = rules(`
  - id: r
    kind: chain
    ${base}
    steps:
      - { name: s1, event: a }
      - { name: s2, event: b, after: { step: s1, within: 1m } }`);
    const f = run(rs, [ev('a', 0, { x: '1' }), ev('a', 10, { x: '2' }), ev('b', 20, { x: '1' }), ev('b', 25, { x: '2' })]).findings;
    expect(f).toHaveLength(2);
    expect(f.map((x) => x.steps.map((s) => s.time.slice(17, 19)))).toEqual([
      ['00', '20'],
      ['10', '25'],
    ]);
  });

  it('bursts: at least N in the same printed second, or in a sliding window, per value of `by`', () => {
    const rs = rules(`
  - id: bucket
    kind: chain
    ${base}
    entities: { n: 'count(burst)' }
    steps:
      - { name: m, event: a }
      - { name: burst, event: b, after: { step: m, within: 30s }, count: { min: 3, bucket: 1s } }
  - id: sliding
    kind: single
    ${base}
    group: [y]
    entities: { n: 'count(s)', y: '{s.y}' }
    step: { name: s, event: c, count: { min: 3, window: 10s, by: [y] } }`);
    const sameSecond = [ev('a', 0), ev('b', 4.1), ev('b', 4.5), ev('b', 4.9)];
    expect(run(rs, sameSecond).findings.filter((f) => f.rule === 'bucket').map((f) => f.entities.n)).toEqual([3]);
    // Three within 1 s but across a second boundary are not "the same second".
    expect(run(rs, [ev('a', 0), ev('b', 4.5), ev('b', 4.9), ev('b', 5.2)]).findings.filter((f) => f.rule === 'bucket')).toHaveLength(0);
    const sliding = [ev('c', 0, { y: 'p' }), ev('c', 4, { y: 'q' }), ev('c', 5, { y: 'p' }), ev('c', 8, { y: 'p' }), ev('c', 9, { y: 'q' })];
    const f = run(rs, sliding).findings.filter((x) => x.rule === 'sliding');
    expect(f.map((x) => [x.entities.y, x.entities.n])).toEqual([['p', 3]]);
  });

  it('host scope: same, any, and cross-host skew marked when it was needed', () => {
    const rs = rules(`
  - id: same
    kind: chain
    ${base}
    steps:
      - { name: s1, event: a }
      - { name: s2, event: b, after: { step: s1, within: 10s } }
  - id: cross
    kind: chain
    ${base}
    skew: 5s
    steps:
      - { name: s1, event: a }
      - { name: s2, event: b, after: { step: s1, within: 10s }, host: any }`);
    const events = [ev('a', 0, {}, 'h1'), ev('b', 13, {}, 'h2')];
    const f = run(rs, events).findings;
    expect(f.map((x) => x.rule)).toEqual(['cross']);
    expect(f[0]).toMatchObject({ hosts: ['h1', 'h2'], skewed: true });
    expect(f[0].confidence).toBeLessThan(1);
    expect(run(rs, [ev('a', 0, {}, 'h1'), ev('b', 16, {}, 'h2')]).findings).toHaveLength(0);
    expect(run(rs, [ev('a', 0, {}, 'h1'), ev('b', 5, {}, 'h2')]).findings[0]).not.toHaveProperty('skewed');
  });

  it('absence is only claimed where the logs cover the window', () => {
    const rs = rules(`
  - id: r
    kind: chain
    ${base}
    steps:
      - { name: s1, event: a }
      - { name: s2, event: b, after: { step: s1, within: 1m }, absent: true }`);
    const covered = new Coverage();
    covered.add('a', T0 - 60 * S, T0 + 600 * S);
    expect(run(rs, [ev('a', 0)], covered).findings).toHaveLength(1);
    expect(run(rs, [ev('a', 0), ev('b', 30)], covered).findings).toHaveLength(0);
    // Logs end 20 s after the trigger: "unknown", never a false "absent"; near misses say why.
    const short = new Coverage();
    short.add('a', T0 - 60 * S, T0 + 20 * S);
    const res = run(rs, [ev('a', 0)], short, true);
    expect(res.findings).toHaveLength(0);
    expect(res.nearMisses[0]).toMatchObject({ rule: 'r', missing: 's2', reason: 'not-covered' });
  });

  it('unless: a classifier suppresses the events it matches', () => {
    const rs = rules(`
  - id: benign
    kind: classifier
    event: b
    match: { regex: 'planned' }
  - id: r
    kind: chain
    ${base}
    steps:
      - { name: s1, event: a }
      - { name: s2, event: b, after: { step: s1, within: 1m }, unless: [benign] }`);
    expect(run(rs, [ev('a', 0), ev('b', 5, {}, 'a', 'b planned maintenance')]).findings).toHaveLength(0);
    expect(run(rs, [ev('a', 0), ev('b', 5, {}, 'a', 'b crash')]).findings).toHaveLength(1);
  });

  it("composition: a step can be another rule's finding", () => {
    const rs = rules(`
  - id: inner
    kind: chain
    ${base}
    entities: { dev: '{s2.dev}' }
    steps:
      - { name: s1, event: a }
      - { name: s2, event: b, after: { step: s1, within: 1m } }
  - id: outer
    kind: chain
    severity: critical
    title: 'outer {dev}'
    explanation: e
    entities: { dev: '{inner.dev}' }
    steps:
      - { name: trigger, event: c }
      - { name: inner, event: 'finding:inner', after: { step: trigger, within: 10m }, host: any }`);
    const f = run(rs, [ev('c', 0, {}, 'h0'), ev('a', 60, {}, 'h1'), ev('b', 70, { dev: 'sdb' }, 'h1')]).findings;
    expect(f.map((x) => x.rule).sort()).toEqual(['inner', 'outer']);
    expect(f.find((x) => x.rule === 'outer')).toMatchObject({ title: 'outer sdb', hosts: ['h0', 'h1'] });
  });

  it('optional steps raise confidence; their absence does not fail the match', () => {
    const rs = rules(`
  - id: r
    kind: chain
    ${base}
    steps:
      - { name: s1, event: a }
      - { name: opt, event: c, after: { step: s1, within: 1m }, optional: true }
      - { name: s2, event: b, after: { step: s1, within: 1m } }`);
    const full = run(rs, [ev('a', 0), ev('c', 1), ev('b', 2)]).findings[0];
    const partial = run(rs, [ev('a', 0), ev('b', 2)]).findings[0];
    expect(full.confidence).toBe(1);
    expect(partial.confidence).toBeLessThan(full.confidence!);
    expect(partial.steps.map((s) => s.name)).toEqual(['s1', 's2']);
  });

  it('where conditions over captures, params and earlier steps (time arithmetic)', () => {
    const rs = rules(`
  - id: r
    kind: chain
    ${base}
    params: { limit: 5 }
    steps:
      - { name: s1, event: a, where: 'x != ""' }
      - { name: s2, event: b, after: { step: s1, within: 1m }, where: 'ts - s1.ts <= 10s and int(y) > params.limit and s1.x == "1"' }`);
    expect(run(rs, [ev('a', 0, { x: '1' }), ev('b', 5, { y: '9' })]).findings).toHaveLength(1);
    expect(run(rs, [ev('a', 0, { x: '1' }), ev('b', 15, { y: '9' })]).findings).toHaveLength(0);
    expect(run(rs, [ev('a', 0, { x: '1' }), ev('b', 5, { y: '3' })]).findings).toHaveLength(0);
    expect(run(rs, [ev('a', 0, { x: '2' }), ev('b', 5, { y: '9' })]).findings).toHaveLength(0);
  });

  it('near misses report k of n steps and the missing step', () => {
    const rs = rules(`
  - id: r
    kind: chain
    ${base}
    steps:
      - { name: s1, event: a }
      - { name: s2, event: b, after: { step: s1, within: 1m } }
      - { name: s3, event: c, after: { step: s2, within: 1m } }`);
    const res = run(rs, [ev('a', 0), ev('b', 5)], undefined, true);
    expect(res.findings).toHaveLength(0);
    expect(res.nearMisses).toEqual([expect.objectContaining({ rule: 'r', matched: 2, of: 3, missing: 's3', reason: 'not-found' })]);
  });

  it('state is bounded: truncation is reported, never silent', () => {
    const rs = rules(`
  - id: r
    kind: chain
    ${base}
    steps:
      - { name: s1, event: a }
      - { name: s2, event: b, after: { step: s1, within: 1h } }`);
    const store = new EventStore();
    for (let i = 0; i < 50; i++) store.add(ev('a', i, { x: String(i) }));
    store.add(ev('b', 100));
    const res = runRules(store, rs, { maxPartials: 10 });
    expect(res.truncated).toEqual(['r']);
  });
});
