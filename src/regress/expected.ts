import type { Finding } from '../model/report.js';
import { microsFromIso } from '../model/time.js';

/** One finding an incident must produce. */
export interface ExpectedFinding {
  rule: string;
  /** Every listed host must be among the finding's hosts. */
  hosts?: string[];
  /** Subset of the finding's entities, compared as equal values. */
  entities?: Record<string, unknown>;
  start?: string;
  end?: string;
  /** Default 5. */
  toleranceSeconds?: number;
}

/** `expected.json` of a recorded incident. */
export interface Expected {
  description?: string;
  /** Analyzer options: `tz`, `year`, `host`, `tzByHost`. */
  options?: { tz?: string; year?: number; host?: string; tzByHost?: Record<string, string> };
  findings: ExpectedFinding[];
  /** Rule ids that must not fire. */
  absent?: string[];
}

/** One difference between expectation and report, in words. */
export interface Difference {
  kind: 'missing' | 'unexpected' | 'wrong-time' | 'wrong-entity';
  rule: string;
  message: string;
}

const DEFAULT_TOLERANCE_S = 5;

/**
 * Compares a report's findings with an incident's expectations. Each expected finding takes the best
 * distinct actual finding of its rule; when none matches fully, the closest one explains what is wrong
 * (time or entity) instead of a bare "missing".
 */
export function compareFindings(expected: Expected, actual: readonly Finding[]): Difference[] {
  const diffs: Difference[] = [];
  const used = new Set<Finding>();
  for (const exp of expected.findings) {
    const candidates = actual.filter((f) => f.rule === exp.rule && !used.has(f));
    let best: { f: Finding; problems: Difference[] } | null = null;
    for (const f of candidates) {
      const problems = problemsOf(exp, f);
      if (!best || problems.length < best.problems.length) best = { f, problems };
      if (problems.length === 0) break;
    }
    if (!best) {
      diffs.push({ kind: 'missing', rule: exp.rule, message: `missing ${describe(exp)}` });
      continue;
    }
    const hostsOk = (exp.hosts ?? []).every((h) => best!.f.hosts.includes(h));
    if (!hostsOk) {
      diffs.push({ kind: 'missing', rule: exp.rule, message: `missing ${describe(exp)} (found only on ${best.f.hosts.join(', ')})` });
      continue;
    }
    used.add(best.f);
    diffs.push(...best.problems);
  }
  for (const rule of expected.absent ?? []) {
    for (const f of actual.filter((x) => x.rule === rule)) {
      diffs.push({ kind: 'unexpected', rule, message: `unexpected ${rule} on ${f.hosts.join(', ')} at ${f.start}: ${f.title}` });
    }
  }
  return diffs;
}

function problemsOf(exp: ExpectedFinding, f: Finding): Difference[] {
  const out: Difference[] = [];
  if (!(exp.hosts ?? []).every((h) => f.hosts.includes(h))) out.push({ kind: 'missing', rule: exp.rule, message: 'hosts' });
  const tol = (exp.toleranceSeconds ?? DEFAULT_TOLERANCE_S) * 1_000_000;
  for (const [which, want, got] of [
    ['start', exp.start, f.start],
    ['end', exp.end, f.end],
  ] as const) {
    if (want === undefined) continue;
    const d = microsFromIso(got) - microsFromIso(want);
    if (!(Math.abs(d) <= tol)) {
      out.push({ kind: 'wrong-time', rule: exp.rule, message: `${exp.rule}: ${which} expected ${want} ±${tol / 1e6}s, got ${got} (${d > 0 ? '+' : ''}${(d / 1e6).toFixed(1)}s)` });
    }
  }
  for (const [k, v] of Object.entries(exp.entities ?? {})) {
    if (JSON.stringify(f.entities[k]) !== JSON.stringify(v)) {
      out.push({ kind: 'wrong-entity', rule: exp.rule, message: `${exp.rule}: entity ${k} expected ${JSON.stringify(v)}, got ${JSON.stringify(f.entities[k])}` });
    }
  }
  return out;
}

function describe(e: ExpectedFinding): string {
  const ents = Object.entries(e.entities ?? {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
  return `${e.rule}${e.hosts?.length ? ` on ${e.hosts.join(', ')}` : ''}${e.start ? ` at ${e.start}` : ''}${ents ? ` (${ents})` : ''}`;
}

/** Expectations that describe a report as it is (for `--update`). */
export function expectationsFrom(actual: readonly Finding[], previous: Expected): Expected {
  const findings: ExpectedFinding[] = actual.map((f) => {
    const entities: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(f.entities)) if (typeof v !== 'object' || (Array.isArray(v) && v.length <= 10)) entities[k] = v;
    return { rule: f.rule, hosts: f.hosts, entities, start: f.start, end: f.end, toleranceSeconds: DEFAULT_TOLERANCE_S };
  });
  const fired = new Set(actual.map((f) => f.rule));
  return {
    ...previous,
    findings,
    absent: (previous.absent ?? []).filter((r) => !fired.has(r)),
  };
}
