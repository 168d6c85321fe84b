import type { Finding } from '../model/report.js';
import type { StepHit } from './hits.js';
import { eventScope } from '../rules/where.js';

export type EntityValue = Finding['entities'][string];

/** A completed match: one hit (or null for a missing optional step) per rule step, and its bindings. */
export interface Match {
  hits: Array<StepHit | null>;
  names: string[];
  bindings: Record<string, string | number>;
  /** True when a cross-host window only held thanks to the rule's skew allowance. */
  skewed: boolean;
}

/**
 * Evaluates an entity template against one or more merged matches:
 * - `{name}` / `{step.capture}` / `{step.host}`: interpolation (a lone `{x}` keeps a number a number);
 * - `count(step)`: events in that step (burst size), summed over merged matches;
 * - `collect(step.capture)` / `collect(name)`: the distinct values, in order of appearance.
 */
export function evalEntity(template: string, matches: readonly Match[]): EntityValue | undefined {
  const t = template.trim();
  const fn = /^(count|collect|first|max|min|sum)\(([\w.]+)\)$/.exec(t);
  if (fn) {
    const [, f, ref] = fn;
    if (f === 'count') {
      let n = 0;
      const seen = new Set<unknown>();
      for (const m of matches) {
        const h = m.hits[m.names.indexOf(ref)];
        if (h) for (const e of h.events) if (!seen.has(e)) { seen.add(e); n++; }
      }
      return n;
    }
    const values: Array<string | number> = [];
    for (const m of matches) for (const v of refValues(ref, m)) if (!values.includes(v)) values.push(v);
    if (f === 'collect') return values.every((v) => typeof v === 'number') ? (values as number[]) : values.map(String);
    if (values.length === 0) return undefined;
    const nums = values.filter((v): v is number => typeof v === 'number');
    if (f === 'max') return nums.length ? Math.max(...nums) : undefined;
    if (f === 'sum') return nums.reduce((a, b) => a + b, 0);
    if (f === 'min') return nums.length ? Math.min(...nums) : undefined;
    return values[0];
  }
  const lone = /^\{([\w.]+)\}$/.exec(t);
  if (lone) return refValues(lone[1], matches[0])[0];
  let missing = false;
  const s = t.replace(/\{([\w.]+)\}/g, (_, ref: string) => {
    const v = refValues(ref, matches[0])[0];
    if (v === undefined) missing = true;
    return v === undefined ? '' : String(v);
  });
  return missing ? undefined : s;
}

/** Values of `name` (a binding), `step.capture`, `step.host`, `step.count` in one match; every event of a burst. */
function refValues(ref: string, m: Match): Array<string | number> {
  const dot = ref.indexOf('.');
  if (dot < 0) {
    const v = m.bindings[ref];
    if (v !== undefined) return [v];
    const h = m.hits[m.names.indexOf(ref)];
    return h ? [h.host] : [];
  }
  const step = ref.slice(0, dot);
  const field = ref.slice(dot + 1);
  const h = m.hits[m.names.indexOf(step)];
  if (!h) return [];
  if (field === 'host') return [h.host];
  if (field === 'count') return [h.events.length];
  const out: Array<string | number> = [];
  for (const e of h.events) {
    const v = e.captures?.[field] ?? pathValue(eventScope(e), field);
    if (v !== undefined && !out.includes(v)) out.push(v);
  }
  return out;
}

/** A string or number at a dotted path (`goroutine.waitMinutes`) of an event's scope. */
function pathValue(scope: Record<string, unknown>, path: string): string | number | undefined {
  let v: unknown = scope;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return typeof v === 'string' || typeof v === 'number' ? v : undefined;
}

/** Fills `{entity}` placeholders of an explanation or remediation text. */
export function fillTemplate(text: string, entities: Finding['entities'], host: string): string {
  return text.replace(/\{([\w.]+)\}/g, (whole, name: string) => {
    if (name === 'host') return host;
    const v = entities[name];
    if (v === undefined) return whole;
    return Array.isArray(v) ? v.join(', ') : String(v);
  });
}
