import type { LogEvent } from '../model/event.js';
import type { Finding } from '../model/report.js';
import { EventStore } from '../store/event-store.js';
import { parseDuration } from '../time/duration.js';
import type { Coverage } from '../correlators/coverage.js';
import { runRules } from '../correlators/engine.js';
import { detectFormat } from '../parsers/registry.js';
import { ingestInputs } from '../pipeline/ingest.js';
import { memoryInput } from '../pipeline/plan.js';
import { Classifier } from './signatures.js';
import type { ChainStep, FindingRule, LoadedRule } from './types.js';

/** One check of a rule's embedded examples. */
export interface RuleTestResult {
  rule: string;
  file: string;
  name: string;
  ok: boolean;
  message?: string;
}

/**
 * Runs every rule's embedded examples: signature lines that must (not) classify with the given
 * captures; finding-rule line sets that must (not) fire, with expected entities; and boundary
 * cases derived from each firing example's windows: dropping a required step, pushing it just past
 * its `within`, or moving it to another host must each stop the match. A finding rule without a
 * silent example fails (as ESLint's RuleTester insists on both kinds of case).
 */
export async function testRules(rules: readonly LoadedRule[]): Promise<RuleTestResult[]> {
  const out: RuleTestResult[] = [];
  const classifier = new Classifier(rules);
  for (const lr of rules) {
    const r = lr.rule;
    const res = (name: string, ok: boolean, message?: string): void => {
      out.push({ rule: r.id, file: lr.file, name, ok, ...(ok ? {} : { message }) });
    };
    if (r.kind === 'signature') {
      const own = new Classifier([lr, ...rules.filter((x) => x.rule.kind === 'lookup')]);
      for (const [i, ex] of (r.examples?.fire ?? []).entries()) {
        const got = own.classify(messageEvent(ex.line, r.match.program?.[0]));
        if (got.length === 0) res(`fire[${i}]`, false, `did not match: ${ex.line}`);
        else {
          const bad = Object.entries(ex.captures ?? {}).filter(([k, v]) => got[0].captures?.[k] !== v);
          res(`fire[${i}]`, bad.length === 0, bad.map(([k, v]) => `capture ${k}: expected ${JSON.stringify(v)}, got ${JSON.stringify(got[0].captures?.[k])}`).join('; '));
        }
      }
      for (const [i, line] of (r.examples?.silent ?? []).entries()) {
        const got = own.classify(messageEvent(line, r.match.program?.[0]));
        res(`silent[${i}]`, got.length === 0, `matched but must not: ${line}`);
      }
      continue;
    }
    if (r.kind !== 'chain' && r.kind !== 'single' && r.kind !== 'absence') continue;
    const deps = withDependencies(lr, rules);
    const fire = r.examples?.fire ?? [];
    const silent = r.examples?.silent ?? [];
    if (fire.length === 0) res('examples', false, 'no example on which the rule must fire');
    if (silent.length === 0) res('examples', false, 'no example on which the rule must stay silent');
    for (const [i, ex] of fire.entries()) {
      const example = await storeFromLines(ex.lines, classifier, ex.host);
      const found = run(example, deps, r.id);
      if (found.length === 0) {
        res(`fire[${i}]`, false, 'did not fire');
        continue;
      }
      const bad = Object.entries(ex.entities ?? {}).filter(([k, v]) => JSON.stringify(found[0].entities[k]) !== JSON.stringify(v));
      res(`fire[${i}]`, bad.length === 0, bad.map(([k, v]) => `entity ${k}: expected ${JSON.stringify(v)}, got ${JSON.stringify(found[0].entities[k])}`).join('; '));
      if (r.kind === 'chain') {
        for (const b of boundaryCases(r, found[0], example.store)) {
          res(`fire[${i}] ${b.name}`, run({ store: b.store, coverage: example.coverage }, deps, r.id).length === 0, `still fires when ${b.name}`);
        }
      }
    }
    for (const [i, ex] of silent.entries()) {
      const found = run(await storeFromLines(ex.lines, classifier, ex.host), deps, r.id);
      res(`silent[${i}]`, found.length === 0, `fired but must not: ${found[0]?.title ?? ''}`);
    }
  }
  return out;
}

/**
 * The event an example line becomes: a full log line in any supported format is parsed (so conditions
 * on `program` or `host` can be tested); anything else is taken as a bare message.
 */
function messageEvent(line: string, program?: string): LogEvent {
  const format = detectFormat([line]);
  if (format) {
    let parsed: LogEvent | undefined;
    const p = format.create({ file: 'example', host: 'example', year: 2026, tz: 'UTC', warn: () => {} }, (e) => (parsed ??= e));
    p.line(line, 1, 0);
    p.end();
    if (parsed && format.id !== 'kernel-text' && format.id !== 'applog') return parsed;
  }
  return { ts: 0, quality: 'exact', precision: 1, host: 'example', file: 'example', line: 1, lines: 1, offset: 0, format: 'example', text: line, msg: line, program };
}

function run(ex: Example, rules: LoadedRule[], id: string): Finding[] {
  return runRules(ex.store, rules, { coverage: ex.coverage }).findings.filter((f) => f.rule === id);
}

interface Example {
  store: EventStore;
  coverage: Coverage;
}

async function storeFromLines(lines: string[], classifier: Classifier, host?: string): Promise<Example> {
  const input = memoryInput('example.log', `${lines.join('\n')}\n`, host ?? 'example', new Date(Date.UTC(2026, 5, 1)));
  const { store, coverage } = await ingestInputs([input], classifier, { year: 2026, tz: 'UTC' });
  return { store, coverage };
}

function withDependencies(lr: LoadedRule, rules: readonly LoadedRule[]): LoadedRule[] {
  const byId = new Map(rules.map((r) => [r.rule.id, r]));
  const out = new Map<string, LoadedRule>();
  const visit = (x: LoadedRule): void => {
    if (out.has(x.rule.id)) return;
    out.set(x.rule.id, x);
    const r = x.rule as FindingRule;
    const steps: ChainStep[] = r.kind === 'chain' ? r.steps : r.kind === 'single' ? [r.step as ChainStep] : r.kind === 'absence' ? [r.trigger as ChainStep] : [];
    for (const s of steps) if (s.event.startsWith('finding:')) { const d = byId.get(s.event.slice(8)); if (d) visit(d); }
  };
  visit(lr);
  // Signatures, lookups and classifiers type the captures that conditions read; they produce no findings.
  for (const r of rules) if (['classifier', 'signature', 'lookup'].includes(r.rule.kind)) out.set(r.rule.id, r);
  return [...out.values()];
}

/** Event-level mutations of a firing example that must each stop the chain from matching. */
function boundaryCases(rule: FindingRule & { kind: 'chain' }, f: Finding, store: EventStore): Array<{ name: string; store: EventStore }> {
  const out: Array<{ name: string; store: EventStore }> = [];
  const all = store.all();
  const evidence = (name: string): LogEvent | undefined => {
    const st = f.steps.find((s) => s.name === name);
    return st ? all.find((e) => e.line === st.line && e.file === st.file && e.kind === rule.steps.find((x) => x.name === name)?.event) : undefined;
  };
  for (const step of rule.steps.slice(1)) {
    if (step.optional || step.absent || !step.after || step.event.startsWith('finding:')) continue;
    const e = evidence(step.name);
    if (!e) continue;
    const same = all.filter((x) => x.kind === e.kind);
    // Only derive a case when this step's evidence is the only event that could satisfy it.
    if (same.length !== 1) continue;
    const within = parseDuration(step.after.within) ?? 0;
    const anchor = evidence(step.after.step);
    const clone = (mut: (x: LogEvent) => LogEvent | null): EventStore => {
      const s = new EventStore();
      for (const x of all) {
        const y = x === e ? mut({ ...x }) : x;
        if (y) s.add(y);
      }
      return s;
    };
    out.push({ name: `step "${step.name}" is dropped`, store: clone(() => null) });
    if (anchor) {
      out.push({
        name: `step "${step.name}" comes just past its window (${step.after.within} after "${step.after.step}")`,
        store: clone((x) => ({ ...x, ts: anchor.ts + within + Math.max(x.precision, anchor.precision, 1) * 2 + 1_000_000 })),
      });
    }
    if ((step.host ?? 'same') === 'same') out.push({ name: `step "${step.name}" is on another host`, store: clone((x) => ({ ...x, host: `${x.host}-other` })) });
  }
  return out;
}
