import type { LogEvent } from '../model/event.js';
import type { Finding, FindingStep, NearMiss } from '../model/report.js';
import { isoFromMicros, microsFromIso, US, type TimeQuality } from '../model/time.js';
import type { EventStore } from '../store/event-store.js';
import { parseDuration } from '../time/duration.js';
import type { Classifier } from '../rules/signatures.js';
import { WhereCompiler } from '../rules/where.js';
import type { ChainStep, FindingRule, LoadedRule } from '../rules/types.js';
import { Coverage } from './coverage.js';
import { evalEntity, fillTemplate, type Match } from './entities.js';
import { bursts, hitOf, type StepHit } from './hits.js';
import { pushTo } from '../util/multimap.js';

/** A compiled `where`: the candidate event and the hits of earlier steps by name. */
export type StepPredicate = (e: LogEvent, earlier: Readonly<Record<string, StepHit>>) => boolean;

export interface RunRulesOptions {
  /** Absence decisions need to know what the logs cover. */
  coverage?: Coverage;
  /** Also report chains that matched some but not all steps. */
  nearMisses?: boolean;
  /** Partial matches kept per rule before truncation (reported). Default 100,000. */
  maxPartials?: number;
  classifier?: Classifier;
}

export type { NearMiss };

export interface RunRulesResult {
  findings: Finding[];
  nearMisses: NearMiss[];
  /** Rules whose partial matches were cut at `maxPartials`. */
  truncated: string[];
}

interface CompiledStep {
  def: ChainStep;
  index: number;
  anchor: number; // index of the step the window is anchored to, -1 for the first
  within: number;
  /** The window lies before the anchor (`before:`) instead of after it. */
  backwards: boolean;
  count: { min: number; bucket: number | null; window: number | null; by: string[] } | null;
  where: StepPredicate | null;
  unless: Array<(e: LogEvent) => boolean>;
}

const QUALITY_FACTOR: Record<TimeQuality, number> = {
  exact: 1,
  'zone-assumed': 0.95,
  'year-inferred': 0.95,
  'boot-anchored': 0.85,
  relative: 0.6,
  none: 0.5,
};

/**
 * Runs finding rules (chain, single, absence) over the store. Rules that compose other rules'
 * findings run after them; their findings are added to the store as `finding:<id>` events.
 */
export function runRules(store: EventStore, rules: readonly LoadedRule[], options: RunRulesOptions = {}): RunRulesResult {
  const wheres = new WhereCompiler(rules);
  const findingRules = orderByComposition(rules.filter((r): r is LoadedRule<FindingRule> => isFindingRule(r.rule)));
  const findings: Finding[] = [];
  const nearMisses: NearMiss[] = [];
  const truncated: string[] = [];
  for (const lr of findingRules) {
    const res = runRule(store, lr, options, wheres);
    if (res.truncated) truncated.push(lr.rule.id);
    findings.push(...res.findings);
    nearMisses.push(...res.nearMisses);
    for (const f of res.findings) store.add(findingEvent(f));
  }
  return { findings, nearMisses, truncated };
}

function isFindingRule(r: LoadedRule['rule']): r is FindingRule {
  return r.kind === 'chain' || r.kind === 'single' || r.kind === 'absence';
}

function stepsOf(r: FindingRule): ChainStep[] {
  if (r.kind === 'chain') return r.steps;
  if (r.kind === 'single') return [r.step as ChainStep];
  const m = r.missing;
  return [
    r.trigger as ChainStep,
    { ...m, absent: true, after: { step: r.trigger.name, within: m.within } } as ChainStep,
  ];
}

function orderByComposition(rules: LoadedRule<FindingRule>[]): LoadedRule<FindingRule>[] {
  const byId = new Map(rules.map((r) => [r.rule.id, r]));
  const done = new Set<string>();
  const out: LoadedRule<FindingRule>[] = [];
  const visit = (r: LoadedRule<FindingRule>, stack: Set<string>): void => {
    if (done.has(r.rule.id) || stack.has(r.rule.id)) return;
    stack.add(r.rule.id);
    for (const s of stepsOf(r.rule)) {
      if (s.event.startsWith('finding:')) {
        const dep = byId.get(s.event.slice(8));
        if (dep) visit(dep, stack);
      }
    }
    done.add(r.rule.id);
    out.push(r);
  };
  for (const r of rules) visit(r, new Set());
  return out;
}

function compileSteps(lr: LoadedRule<FindingRule>, options: RunRulesOptions, wheres: WhereCompiler): CompiledStep[] {
  const steps = stepsOf(lr.rule);
  const names = steps.map((s) => s.name);
  const base = lr.rule.kind === 'chain' ? '/steps' : lr.rule.kind === 'single' ? '/step' : '';
  return steps.map((def, index) => {
    const win = def.after ?? def.before;
    const anchor = win ? names.indexOf(win.step) : index === 0 ? -1 : index - 1;
    const within = win ? parseDuration(win.within) ?? 0 : 0;
    const c = def.count;
    const path = base === '' ? (index === 0 ? '/trigger' : '/missing') : base === '/step' ? base : `${base}/${index}`;
    return {
      def,
      index,
      anchor,
      within,
      backwards: def.before !== undefined,
      count: c ? { min: c.min, bucket: c.bucket ? parseDuration(c.bucket) : null, window: c.window ? parseDuration(c.window) : null, by: c.by ?? [] } : null,
      where: def.where ? wheres.step(lr, def.where, `${lr.path}${path}/where`) : null,
      unless: (def.unless ?? []).map((id) => options.classifier?.classifiers.get(id)?.test ?? (() => false)),
    };
  });
}

interface Partial {
  hits: Array<StepHit | null>;
  bindings: Record<string, string | number>;
  skewed: boolean;
}

function runRule(store: EventStore, lr: LoadedRule<FindingRule>, options: RunRulesOptions, wheres: WhereCompiler): { findings: Finding[]; nearMisses: NearMiss[]; truncated: boolean } {
  const rule = lr.rule;
  const steps = compileSteps(lr, options, wheres);
  const names = steps.map((s) => s.def.name);
  const skew = rule.skew ? parseDuration(rule.skew) ?? 0 : 0;
  const max = options.maxPartials ?? 100_000;
  let truncated = false;
  const complete: Match[] = [];
  const near = new Map<string, NearMiss>();

  // Step 0: every event (or burst) is a start.
  let partials: Partial[] = candidateHits(store, steps[0], null, {}, null, -Infinity, Infinity).map((h) => ({
    hits: [h],
    bindings: { ...h.captures },
    skewed: false,
  }));
  if (partials.length > max) {
    partials = partials.slice(0, max);
    truncated = true;
  }
  for (let i = 1; i < steps.length; i++) {
    const step = steps[i];
    const next: Partial[] = [];
    for (const p of partials) {
      const anchor = anchorHit(p, step, steps);
      if (!anchor) {
        next.push({ ...p, hits: [...p.hits, null] });
        continue;
      }
      const host = hostFor(step.def, p, names);
      // Windows respect timestamp precision: a syslog second may hide up to 1s either way.
      const tol = Math.max(anchor.precision, 1);
      const slack = tol + (host === null ? skew : 0);
      const from = step.backwards ? anchor.ts - step.within - slack : anchor.ts - slack;
      const to = step.backwards ? anchor.tsEnd + slack : anchor.tsEnd + step.within + slack;
      const earlier = hitsByName(p, names);
      const cands = candidateHits(store, step, host, p.bindings, earlier, from, to);
      if (step.def.absent) {
        if (cands.length > 0) {
          if (options.nearMisses) recordNear(near, rule.id, p, step, steps, 'present');
          continue;
        }
        const hostsToCheck = host !== null ? [host] : [...new Set(p.hits.filter((h): h is StepHit => h !== null).map((h) => h.host))];
        if (options.coverage && !hostsToCheck.every((h) => options.coverage!.covers(h, from + slack, to - slack))) {
          if (options.nearMisses) recordNear(near, rule.id, p, step, steps, 'not-covered');
          continue;
        }
        next.push({ ...p, hits: [...p.hits, null] });
        continue;
      }
      if (cands.length === 0) {
        if (step.def.optional) next.push({ ...p, hits: [...p.hits, null] });
        else if (options.nearMisses) recordNear(near, rule.id, p, step, steps, 'not-found');
        continue;
      }
      // An optional step may bind values that later steps contradict: keep the branch without it too.
      if (step.def.optional) next.push({ ...p, hits: [...p.hits, null] });
      // Branch once per distinct value of the captures this step newly binds (a changing join key),
      // taking the earliest event for each: every chain is found without enumerating duplicates.
      const seen = new Set<string>();
      const joins = step.def.join;
      for (const h of cands) {
        const own = joins ? Object.fromEntries(Object.entries(h.captures).filter(([k]) => joins.includes(k))) : h.captures;
        const fresh = Object.keys(own).filter((k) => !(k in p.bindings)).sort();
        const key = fresh.map((k) => `${k}=${own[k]}`).join('\0') + (host === null ? `\0${h.host}` : '');
        if (seen.has(key)) continue;
        seen.add(key);
        const skewed = host === null && h.host !== anchor.host && (h.ts < from + slack - tol || h.ts > to - slack + tol);
        next.push({ hits: [...p.hits, h], bindings: { ...p.bindings, ...own }, skewed: p.skewed || skewed });
        if (next.length >= max) {
          truncated = true;
          break;
        }
      }
    }
    partials = next;
  }
  for (const p of partials) complete.push({ hits: p.hits, names, bindings: p.bindings, skewed: p.skewed });
  return { findings: toFindings(rule, complete), nearMisses: [...near.values()], truncated };
}

function anchorHit(p: Partial, step: CompiledStep, steps: CompiledStep[]): StepHit | null {
  // A missing optional anchor falls back to its own anchor, so later steps still have a window.
  let a = step.anchor;
  while (a >= 0) {
    const h = p.hits[a];
    if (h) return h;
    a = steps[a].anchor;
  }
  return null;
}

function hostFor(def: ChainStep, p: Partial, names: string[]): string | null {
  const h = def.host ?? 'same';
  if (h === 'any') return null;
  if (h === 'same') return p.hits.find((x) => x !== null)?.host ?? null;
  return p.hits[names.indexOf(h)]?.host ?? null;
}

function hitsByName(p: Partial, names: string[]): Record<string, StepHit> {
  const o: Record<string, StepHit> = {};
  p.hits.forEach((h, i) => {
    if (h) o[names[i]] = h;
  });
  return o;
}

function candidateHits(
  store: EventStore,
  step: CompiledStep,
  host: string | null,
  bindings: Record<string, string | number>,
  earlier: Record<string, StepHit> | null,
  from: number,
  to: number,
): StepHit[] {
  const join = step.def.join;
  const events = store
    .query({ kind: step.def.event, host: host ?? undefined, from, to })
    .filter((e) => {
      for (const [k, v] of Object.entries(e.captures ?? {})) if (k in bindings && bindings[k] !== v && (!join || join.includes(k))) return false;
      if (step.where && !step.where(e, earlier ?? {})) return false;
      for (const u of step.unless) if (u(e)) return false;
      return true;
    });
  if (!step.count) return events.map(hitOf);
  // Bursts are counted per host, and per value of the `by` captures.
  const byHost = new Map<string, LogEvent[]>();
  for (const e of events) {
    const k = [e.host, ...step.count.by.map((c) => String(e.captures?.[c] ?? ''))].join('\0');
    pushTo(byHost, k, e);
  }
  const out: StepHit[] = [];
  for (const list of byHost.values()) out.push(...bursts(list, step.count.min, step.count.bucket, step.count.window));
  return out.sort((a, b) => a.ts - b.ts);
}

function recordNear(near: Map<string, NearMiss>, rule: string, p: Partial, step: CompiledStep, steps: CompiledStep[], reason: NearMiss['reason']): void {
  const first = p.hits.find((h) => h !== null);
  if (!first) return;
  const key = `${first.events[0].file}:${first.events[0].line}`;
  // Counted like `of`: the required steps that matched (optional ones only raise confidence).
  const matched = p.hits.filter((h, i) => h !== null && !steps[i].def.optional && !steps[i].def.absent).length;
  const prev = near.get(key);
  if (prev && prev.matched >= matched) return;
  near.set(key, {
    rule,
    matched,
    of: steps.filter((s) => !s.def.optional && !s.def.absent).length,
    missing: step.def.name,
    reason,
    hosts: [...new Set(p.hits.filter((h): h is StepHit => h !== null).map((h) => h.host))],
    steps: evidence(p.hits, steps.map((s) => s.def)),
  });
}

/** Each matched step's evidence, in time order (a `before:` step or an optional one may come first). */
function evidence(hits: Array<StepHit | null>, defs: ChainStep[]): FindingStep[] {
  const out: Array<FindingStep & { ts: number }> = [];
  hits.forEach((h, i) => {
    if (!h) return;
    const e = h.events[0];
    out.push({
      ts: e.ts,
      name: defs[i].name,
      event: defs[i].event,
      time: isoFromMicros(e.ts),
      host: e.host,
      file: e.file,
      line: e.line,
      text: e.text,
      quality: e.quality,
      ...(h.events.length > 1 ? { count: h.events.length } : {}),
    });
  });
  return out.sort((a, b) => a.ts - b.ts).map(({ ts: _ts, ...step }) => step);
}

/** Merges matches with the same group values whose spans overlap, and builds findings. */
function toFindings(rule: FindingRule, matches: Match[]): Finding[] {
  const steps = stepsOf(rule);
  const entityDefs = rule.entities ?? {};
  const groupOf = (m: Match): string => {
    const keys = rule.group ?? [];
    // Without a group, a match is identified by its required steps: the same chain with and without
    // an optional step is one finding (its fullest form).
    if (keys.length === 0) {
      return m.hits.map((h, i) => (steps[i].optional ? '' : h ? `${h.events[0].file}:${h.events[0].line}` : '-')).join('|');
    }
    return keys
      .map((k) => {
        if (k === 'host') return firstHit(m)?.host;
        const si = m.names.indexOf(k);
        // A step name groups by that step's evidence: one finding per trigger event.
        if (si >= 0) return m.hits[si] ? `${m.hits[si]!.events[0].file}:${m.hits[si]!.events[0].line}` : '-';
        return JSON.stringify(evalEntity(entityDefs[k] ?? `{${k}}`, [m]));
      })
      .join('|');
  };
  const groups: Array<{ key: string; matches: Match[]; start: number; end: number }> = [];
  const sorted = [...matches].sort((a, b) => spanOf(a)[0] - spanOf(b)[0]);
  const maxGap = Math.max(US.m, ...steps.map((s) => parseDuration(s.after?.within ?? '0s') ?? 0));
  for (const m of sorted) {
    const key = groupOf(m);
    const [s, e] = spanOf(m);
    const g = groups.find((x) => x.key === key && s <= x.end + maxGap);
    if (g) {
      g.matches.push(m);
      g.end = Math.max(g.end, e);
    } else {
      groups.push({ key, matches: [m], start: s, end: e });
    }
  }
  // The representative of a group is its fullest match (fewest missing optional steps), then the earliest.
  const fullness = (m: Match): number => m.hits.filter((h) => h !== null).length;
  return groups.map((g) => buildFinding(rule, steps, [...g.matches].sort((a, b) => fullness(b) - fullness(a) || spanOf(a)[0] - spanOf(b)[0])));
}

function firstHit(m: Match): StepHit | undefined {
  return m.hits.find((h): h is StepHit => h !== null);
}

function spanOf(m: Match): [number, number] {
  let s = Infinity;
  let e = -Infinity;
  for (const h of m.hits) {
    if (!h) continue;
    s = Math.min(s, h.ts);
    e = Math.max(e, h.tsEnd);
  }
  return [s, e];
}

function buildFinding(rule: FindingRule, steps: ChainStep[], matches: Match[]): Finding {
  const rep = matches[0];
  const entities: Finding['entities'] = {};
  for (const [name, tmpl] of Object.entries(rule.entities ?? {})) {
    const v = evalEntity(tmpl, matches);
    if (v !== undefined && !(Array.isArray(v) && v.length === 0)) entities[name] = v;
  }
  const hosts = new Set<string>();
  let start = Infinity;
  let end = -Infinity;
  for (const m of matches) {
    const [s, e] = spanOf(m);
    start = Math.min(start, s);
    end = Math.max(end, e);
    for (const h of m.hits) if (h) hosts.add(h.host);
  }
  const host = firstHit(rep)?.host ?? '';
  const missingOptional = rep.hits.filter((h, i) => h === null && steps[i].optional).length;
  let worst = 1;
  for (const h of rep.hits) if (h) for (const e of h.events) worst = Math.min(worst, QUALITY_FACTOR[e.quality]);
  let confidence = Math.max(0, 1 - 0.15 * missingOptional) * worst * (rep.skewed ? 0.9 : 1);
  confidence = Math.round(confidence * 100) / 100;
  return {
    rule: rule.id,
    title: fillTemplate(rule.title, entities, host),
    severity: rule.severity,
    start: isoFromMicros(start),
    end: isoFromMicros(end),
    hosts: [...hosts].sort(),
    entities,
    steps: evidence(rep.hits, steps),
    explanation: fillTemplate(rule.explanation, entities, host),
    remediation: (rule.remediation ?? []).map((r) => fillTemplate(r, entities, host)),
    confidence,
    ...(rep.skewed ? { skewed: true } : {}),
  };
}

/** A finding as an event, so other rules can compose it. */
function findingEvent(f: Finding): LogEvent {
  // Steps are in time order: the first is the finding's start.
  const first = f.steps[0];
  const captures: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(f.entities)) if (typeof v === 'string' || typeof v === 'number') captures[k] = v;
  return {
    ts: microsFromIso(f.start),
    quality: first?.quality ?? 'exact',
    precision: 1,
    host: f.hosts[0] ?? first?.host ?? 'unknown',
    file: first?.file ?? '',
    line: first?.line ?? 0,
    lines: 1,
    offset: 0,
    format: 'finding',
    text: first?.text ?? f.title,
    msg: f.title,
    kind: `finding:${f.rule}`,
    captures,
    data: { finding: f },
  };
}

export { Coverage };
