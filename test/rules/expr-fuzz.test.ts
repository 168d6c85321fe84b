/** Robustness (never throws, columns in range) and speed of the expression language. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileExpr, regexRequiredLiterals, regexRisk, t, type TypeEnv } from '../../src/rules/expr/index.js';

const env: TypeEnv = {
  msg: t.string,
  ts: t.timestamp,
  tags: t.list(t.string),
  klog: t.record({ file: t.string, kv: t.map(t.string), line: t.number }),
  connErr: t.record({ ts: t.timestamp }),
  goroutine: t.record({ frames: t.list(t.record({ func: t.string, line: t.number })) }),
  data: t.unknown,
};

const vocabulary = [
  'msg', 'ts', 'tags', 'klog', '.', 'kv', 'pod', 'file', 'connErr', 'goroutine', 'frames', 'f', 'func', 'data', 'x',
  'and', 'or', 'not', 'in', 'contains', 'startsWith', 'endsWith', '==', '!=', '<', '<=', '>', '>=', '~', '!~',
  '+', '-', '*', '/', '(', ')', '[', ']', ',', '->', 'any', 'all', 'count', 'len', 'lower', 'exists', 'int',
  '"a"', "'b\\n'", '"unterminated', '1', '2.5', '10s', '500ms', 'true', 'false', 'null', '/x(?<c>\\d+)/', '/(a+)+/', '/[/', '=', '&', '#',
];

describe('expr: fuzz', () => {
  const check = (src: string) => {
    let r: ReturnType<typeof compileExpr> | undefined;
    expect(() => (r = compileExpr(src, env))).not.toThrow();
    if (r!.ok) {
      const scope = { msg: 'x12', ts: 5, tags: ['a'], klog: { kv: {} }, goroutine: { frames: [{ func: 'a' }] }, data: [1] };
      expect(() => r!.ok && r!.expr.evaluate(scope, {})).not.toThrow();
    } else {
      expect(r!.errors.length).toBeGreaterThan(0);
      for (const e of r!.errors) {
        expect(e.column).toBeGreaterThanOrEqual(1);
        expect(e.column).toBeLessThanOrEqual(src.length + 1);
        // (Quoted text is the source's own: an identifier may well be NaN or undefined.)
        expect(e.message.replace(/"[^"]*"/g, '""')).not.toMatch(/NaN|undefined|-->/);
      }
    }
  };
  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), check), { numRuns: 2000 });
  });
  it('never throws on random token soup', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...vocabulary), { maxLength: 14 }).map((a) => a.join(' ')), check), { numRuns: 4000 });
  });
  it('regex analysis never throws', () => {
    const regexChars = fc.constantFrom('a', 'b', '(', ')', '(?:', '(?<n>', '|', '*', '+', '?', '{2,}', '[', ']', '^', '-', '\\', '\\d', '.', '$', '\\b', '(?=');
    fc.assert(
      fc.property(fc.array(regexChars, { maxLength: 16 }).map((a) => a.join('')), (p) => {
        expect(() => regexRisk(p)).not.toThrow();
        expect(() => regexRequiredLiterals(p)).not.toThrow();
        let valid = true;
        try {
          new RegExp(p);
        } catch {
          valid = false;
        }
        if (!valid) expect(regexRisk(p)).toBe('not a valid regular expression');
      }),
      { numRuns: 3000 },
    );
  });
});

describe('expr: speed', () => {
  it('evaluates a realistic rule condition quickly (closures, no allocation per call)', () => {
    const src =
      'msg ~ /connection(?<sid>\\d+):\\d+: detected conn error \\((?<code>\\d+)\\)/ and ts - connErr.ts <= 10s and klog.kv.pod startsWith "openebs/" or any(goroutine.frames, f -> f.func endsWith "processorListener).pop")';
    const t0 = performance.now();
    const n = 1000;
    for (let i = 0; i < n; i++) expect(compileExpr(src, env).ok).toBe(true);
    const compileUs = ((performance.now() - t0) * 1000) / n;

    const r = compileExpr(src, env);
    if (!r.ok) throw new Error('compile');
    const scopes = Array.from({ length: 1000 }, (_, i) => ({
      msg: i % 10 === 0 ? `connection${i}:0: detected conn error (1020)` : `sd 6:0:0:0: [sdb] tag#${i} FAILED Result: hostbyte=DID_TIME_OUT`,
      ts: 1_000_000 * i,
      connErr: { ts: 1_000_000 * i - 3_000_000 },
      klog: { kv: { pod: i % 2 === 0 ? 'openebs/jiva' : 'kube-system/x' }, file: 'a.go', line: 1 },
      goroutine: { frames: [{ func: 'runtime.gopark', line: 1 }, { func: 'main.main', line: 2 }] },
    }));
    const captures: Record<string, string> = {};
    let hits = 0;
    const rounds = 300;
    const t1 = performance.now();
    for (let k = 0; k < rounds; k++) for (const s of scopes) if (r.expr.evaluate(s, captures) === true) hits++;
    const evalNs = ((performance.now() - t1) * 1e6) / (rounds * scopes.length);
    console.log(`expr speed: compile ${compileUs.toFixed(1)} µs/expression, evaluate ${evalNs.toFixed(0)} ns/call (${hits} hits)`);
    expect(hits).toBe(rounds * 100); // i % 10 === 0 is always an openebs pod
    expect(evalNs).toBeLessThan(5_000);
  });

  it('regexRisk stays fast on long patterns', () => {
    const p = Array.from({ length: 200 }, (_, i) => `(?:w${i}[a-z]+\\d*)?`).join('') + '(a+)+';
    const t0 = performance.now();
    expect(regexRisk(p)).toMatch(/nested quantifiers/);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});
