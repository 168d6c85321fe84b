import type { LogEvent } from '../model/event.js';
import type { RuleDiagnostic } from '../model/errors.js';
import type { StepHit } from '../correlators/hits.js';
import { compileExpr, t, type CompiledExpr, type ExprType, type TypeEnv } from './expr/index.js';
import type { ChainStep, FindingRule, LoadedRule, Rule, SignatureRule } from './types.js';
import { GENERATED_EVENTS } from './generated.js';

const FRAME = t.record({ func: t.string, file: t.string, line: t.number });

/** Fields every event has, typed per source where a source adds some (klog, goroutine dumps). */
export const EVENT_FIELDS: Record<string, ExprType> = {
  msg: t.string,
  text: t.string,
  host: t.string,
  program: t.string,
  pid: t.number,
  file: t.string,
  line: t.number,
  format: t.string,
  kind: t.string,
  ts: t.timestamp,
  mono: t.number,
  priority: t.number,
  quality: t.string,
  klog: t.record({ severity: t.string, file: t.string, line: t.number, pid: t.number, msg: t.string, kv: t.map(t.string), stamp: t.string }),
  goroutine: t.record({
    state: t.string,
    waitMinutes: t.number,
    waitMinutesMin: t.number,
    count: t.number,
    lockedToThread: t.bool,
    frames: t.list(FRAME),
    createdBy: t.record({ func: t.string, file: t.string, line: t.number, goroutine: t.number }),
  }),
  dump: t.record({ goroutines: t.number, buckets: t.number }),
  data: t.map(t.unknown),
  captures: t.map(t.unknown),
};

/** Capture names and types of each event kind, from the signatures producing it. */
export function captureTypes(rules: readonly LoadedRule[]): Map<string, Record<string, ExprType>> {
  const out = new Map<string, Record<string, ExprType>>();
  for (const [kind, caps] of Object.entries(GENERATED_EVENTS)) {
    out.set(kind, Object.fromEntries(Object.entries(caps).map(([k, v]) => [k, v === 'number' ? t.number : t.string])));
  }
  for (const { rule } of rules) {
    if (rule.kind !== 'signature') continue;
    const caps = out.get(rule.event) ?? {};
    for (const name of namedGroups(rule.match.regex)) {
      const ty = rule.captures?.[name];
      caps[name] = ty === 'int' || ty === 'number' ? t.number : t.string;
    }
    for (const name of Object.keys(rule.resolve ?? {})) caps[name] ??= t.string;
    out.set(rule.event, caps);
  }
  return out;
}

function namedGroups(re: string): string[] {
  return [...re.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1]);
}

/** Entities of a finding rule, as captures of its `finding:<id>` events (values are strings or numbers). */
function findingCaptures(rules: readonly LoadedRule[], id: string): Record<string, ExprType> {
  const r = rules.find((x) => x.rule.id === id)?.rule as FindingRule | undefined;
  const out: Record<string, ExprType> = {};
  for (const name of Object.keys(r?.entities ?? {})) out[name] = t.unknown;
  return out;
}

function eventEnv(kind: string, caps: Map<string, Record<string, ExprType>>, rules: readonly LoadedRule[]): Record<string, ExprType> {
  const own = kind.startsWith('finding:') ? findingCaptures(rules, kind.slice(8)) : (caps.get(kind) ?? {});
  return { ...EVENT_FIELDS, ...own };
}

/** The scope an expression sees for one event: its fields, its captures at top level, decoded data. */
export function eventScope(e: LogEvent): Record<string, unknown> {
  const scope: Record<string, unknown> = { ...e, ...(e.captures ?? {}) };
  if (e.data) {
    if (e.data.goroutine) scope.goroutine = e.data.goroutine;
    if (e.data.dump) scope.dump = e.data.dump;
  }
  return scope;
}

function stepScope(h: StepHit): Record<string, unknown> {
  const first = eventScope(h.events[0]);
  return { ...first, ...h.captures, ts: h.ts, tsEnd: h.tsEnd, host: h.host, count: h.events.length };
}

interface WhereTarget {
  rule: LoadedRule;
  source: string;
  /** JSON path of the `where` in its file. */
  path: string;
  kind: string;
  earlier: ChainStep[];
  later: string[];
}

function targets(lr: LoadedRule): WhereTarget[] {
  const r = lr.rule;
  const out: WhereTarget[] = [];
  if ((r.kind === 'signature' || r.kind === 'classifier') && r.where) {
    out.push({ rule: lr, source: r.where, path: `${lr.path}/where`, kind: r.kind === 'signature' ? r.event : (r.event ?? ''), earlier: [], later: [] });
  }
  const steps: Array<[ChainStep, string]> =
    r.kind === 'chain'
      ? r.steps.map((s, i) => [s, `/steps/${i}`])
      : r.kind === 'single'
        ? [[r.step as ChainStep, '/step']]
        : r.kind === 'absence'
          ? [
              [r.trigger as ChainStep, '/trigger'],
              [r.missing as ChainStep, '/missing'],
            ]
          : [];
  steps.forEach(([s, p], i) => {
    if (s.where) {
      out.push({ rule: lr, source: s.where, path: `${lr.path}${p}/where`, kind: s.event, earlier: steps.slice(0, i).map((x) => x[0]), later: steps.slice(i).map((x) => x[0].name) });
    }
  });
  return out;
}

function paramsOf(lr: LoadedRule): Record<string, number | string | boolean> {
  return ('params' in lr.rule && lr.rule.params) || {};
}

function compileTarget(tg: WhereTarget, caps: Map<string, Record<string, ExprType>>, rules: readonly LoadedRule[]): { expr?: CompiledExpr; diagnostics: RuleDiagnostic[] } {
  const env: TypeEnv = { ...eventEnv(tg.kind, caps, rules) };
  const params: Record<string, ExprType> = {};
  for (const [k, v] of Object.entries(paramsOf(tg.rule))) params[k] = typeof v === 'number' ? t.number : typeof v === 'boolean' ? t.bool : t.string;
  env.params = t.record(params);
  for (const s of tg.earlier) env[s.name] = t.record({ ...eventEnv(s.event, caps, rules), tsEnd: t.timestamp, count: t.number });
  const res = compileExpr(tg.source, env);
  if (res.ok) {
    if (res.expr.type.kind !== 'bool' && res.expr.type.kind !== 'unknown') {
      return { diagnostics: [diag(tg, `a where condition must be true or false, this is a ${res.expr.type.kind}`, 1)] };
    }
    return { expr: res.expr, diagnostics: [] };
  }
  return {
    diagnostics: res.errors.map((e) => {
      const name = /unknown name "([^"]+)"/.exec(e.message)?.[1];
      const message = name && tg.later.includes(name) ? `step "${name}" is used before it is defined (a condition can only read earlier steps)` : e.message;
      return diag(tg, message, e.column);
    }),
  };
}

function diag(tg: WhereTarget, message: string, column: number): RuleDiagnostic {
  return { file: tg.rule.file, rule: tg.rule.rule.id, path: tg.path, column, severity: 'error', message };
}

/** The `where` texts of the rules (macros expanded if the rules are). */
export function whereSources(rules: readonly LoadedRule[]): string[] {
  return rules.flatMap((lr) => targets(lr).map((tg) => tg.source));
}

/** Type-checks every `where` of every rule; diagnostics carry file, rule id, JSON path and column. */
export function checkWheres(rules: readonly LoadedRule[]): RuleDiagnostic[] {
  const caps = captureTypes(rules);
  return rules.flatMap((lr) => targets(lr).flatMap((tg) => compileTarget(tg, caps, rules).diagnostics));
}

/** Compiles `where` texts into predicates for the classifier and the engine (rules are already checked). */
export class WhereCompiler {
  private readonly caps: Map<string, Record<string, ExprType>>;
  constructor(private readonly rules: readonly LoadedRule[]) {
    this.caps = captureTypes(rules);
  }

  /** For a signature or classifier: the event alone. */
  event(lr: LoadedRule<SignatureRule | Rule>, source: string): (e: LogEvent) => boolean {
    const expr = this.compile(targets(lr).find((x) => x.source === source && x.earlier.length === 0));
    if (!expr) return () => false;
    const params = paramsOf(lr);
    return (e) => {
      const scope = eventScope(e);
      scope.params = params;
      return expr.evaluate(scope) === true;
    };
  }

  /** For a step: the candidate event and the hits of earlier steps. */
  step(lr: LoadedRule, source: string, path: string): (e: LogEvent, earlier: Readonly<Record<string, StepHit>>) => boolean {
    const expr = this.compile(targets(lr).find((x) => x.path === path) ?? targets(lr).find((x) => x.source === source));
    if (!expr) return () => false;
    const params = paramsOf(lr);
    return (e, earlier) => {
      const scope = eventScope(e);
      scope.params = params;
      for (const [name, h] of Object.entries(earlier)) scope[name] = stepScope(h);
      return expr.evaluate(scope) === true;
    };
  }

  /**
   * The compiled condition, or undefined if it does not compile (only for rules that were not checked).
   * An internal error, e.g. no expression parser in this thread, throws: it must not pass for a
   * condition that is never true.
   */
  private compile(tg: WhereTarget | undefined): CompiledExpr | undefined {
    if (!tg) return undefined;
    const { expr, diagnostics } = compileTarget(tg, this.caps, this.rules);
    const internal = diagnostics.find((d) => d.message.startsWith('internal error: '));
    if (internal) throw new Error(`${tg.rule.file}: rule ${tg.rule.rule.id}: ${tg.path}: ${internal.message}`);
    return expr;
  }
}
