import type { RuleDiagnostic } from '../model/errors.js';
import { parseDuration } from '../time/duration.js';
import { regexLiterals, regexProblem } from './regex.js';
import type { ChainStep, LoadedRule, Rule } from './types.js';
import { checkWheres } from './where.js';
import { GENERATED_EVENTS } from './generated.js';

/**
 * Semantic checks the schema cannot express: unique ids, regexes that compile and cannot
 * backtrack catastrophically, step references, windows, event kinds nobody produces.
 */
export function checkRules(rules: readonly LoadedRule[]): RuleDiagnostic[] {
  const out: RuleDiagnostic[] = [];
  const ids = new Map<string, string>();
  const produced = new Set<string>(Object.keys(GENERATED_EVENTS));
  const findingIds = new Set<string>();
  for (const { rule } of rules) {
    if (rule.kind === 'signature') produced.add(rule.event);
    if (rule.kind === 'chain' || rule.kind === 'single' || rule.kind === 'absence') findingIds.add(rule.id);
  }
  const classifiers = new Set(rules.filter((r) => r.rule.kind === 'classifier').map((r) => r.rule.id));
  const lookups = new Set(rules.filter((r) => r.rule.kind === 'lookup').map((r) => r.rule.id));

  for (const lr of rules) {
    const { rule, file, path } = lr;
    const diag = (where: string, message: string, severity: 'error' | 'warning' = 'error'): void => {
      out.push({ file, rule: rule.id, path: `${path}${where}`, severity, message });
    };
    const prev = ids.get(rule.id);
    if (prev !== undefined) diag('/id', `duplicate rule id (also defined in ${prev})`);
    else ids.set(rule.id, file);

    if (rule.kind === 'signature' || (rule.kind === 'classifier' && rule.match)) {
      const match = rule.kind === 'signature' ? rule.match : rule.match!;
      const problem = regexProblem(match.regex, match.flags);
      if (problem) diag('/match/regex', problem);
      else if (!match.literals && regexLiterals(match.regex, match.flags).length === 0) {
        diag('/match/regex', 'no literal text every match must contain: add match.literals so the prefilter can skip lines', 'warning');
      }
      if (rule.kind === 'signature' && rule.resolve) {
        for (const [cap, r] of Object.entries(rule.resolve)) {
          if (!lookups.has(r.lookup)) diag(`/resolve/${cap}/lookup`, `unknown lookup "${r.lookup}"`);
        }
      }
    }
    if (rule.kind === 'chain') checkSteps(rule.steps, '/steps', diag, produced, findingIds, classifiers, rule.id);
    if (rule.kind === 'single') checkSteps([rule.step], '/step', diag, produced, findingIds, classifiers, rule.id, true);
    if (rule.kind === 'absence') {
      checkSteps([rule.trigger], '/trigger', diag, produced, findingIds, classifiers, rule.id, true);
      checkSteps([{ ...rule.missing, name: rule.missing.name }], '/missing', diag, produced, findingIds, classifiers, rule.id, true);
      if (parseDuration(rule.missing.within) === null) diag('/missing/within', 'not a duration');
    }
    if (rule.kind === 'sync') {
      for (const side of ['from', 'to'] as const) {
        if (!produced.has(rule[side].event)) diag(`/${side}/event`, `no signature produces event "${rule[side].event}"`, 'warning');
      }
      const min = parseDuration(rule.delay.min);
      const max = parseDuration(rule.delay.max);
      if (min !== null && max !== null && min > max) diag('/delay', 'impossible delay: min is larger than max');
    }
    if ('skew' in rule && rule.skew !== undefined && parseDuration(rule.skew) === null) diag('/skew', 'not a duration');
  }
  out.push(...checkWheres(rules));
  return out;
}

function checkSteps(
  steps: ChainStep[],
  base: string,
  diag: (where: string, message: string, severity?: 'error' | 'warning') => void,
  produced: Set<string>,
  findingIds: Set<string>,
  classifiers: Set<string>,
  selfId: string,
  single = false,
): void {
  const seen = new Set<string>();
  steps.forEach((s, i) => {
    const at = single ? base : `${base}/${i}`;
    if (seen.has(s.name)) diag(`${at}/name`, `step name "${s.name}" is used twice`);
    if (s.event.startsWith('finding:')) {
      const id = s.event.slice('finding:'.length);
      if (id === selfId) diag(`${at}/event`, 'a rule cannot compose itself');
      else if (!findingIds.has(id)) diag(`${at}/event`, `no rule "${id}" produces findings to compose`);
    } else if (!produced.has(s.event)) {
      diag(`${at}/event`, `no signature produces event "${s.event}"`, 'warning');
    }
    if (s.after && s.before) diag(at, 'a step takes `after` or `before`, not both');
    const win = s.after ? { key: 'after', ...s.after } : s.before ? { key: 'before', ...s.before } : null;
    if (win) {
      if (!seen.has(win.step)) {
        diag(`${at}/${win.key}/step`, steps.some((t) => t.name === win.step) ? `step "${win.step}" comes later: a window can only be anchored to an earlier step` : `unknown step "${win.step}"`);
      }
      const w = parseDuration(win.within);
      if (w === null) diag(`${at}/${win.key}/within`, 'not a duration');
      else if (w <= 0) diag(`${at}/${win.key}/within`, 'impossible window: must be longer than 0');
    } else if (i > 0) {
      diag(at, 'a step after the first needs `after: {step, within}` or `before: {step, within}`: an unbounded window would match events days apart');
    }
    if (s.absent && !win && i > 0) diag(at, 'unbounded absence: an absent step needs `after.within`');
    if (s.absent && s.optional) diag(at, 'a step cannot be both absent and optional');
    if (s.absent && i === 0) diag(at, 'the first step cannot be absent');
    if (s.host && !['same', 'any'].includes(s.host) && !seen.has(s.host)) diag(`${at}/host`, `host "${s.host}" is not "same", "any" or an earlier step`);
    if (s.count) {
      if (!s.count.bucket && !s.count.window) diag(`${at}/count`, 'a count needs `bucket` (same printed second) or `window` (sliding)');
      for (const k of ['bucket', 'window'] as const) {
        const v = s.count[k];
        if (v !== undefined && !(parseDuration(v)! > 0)) diag(`${at}/count/${k}`, 'must be a duration longer than 0');
      }
    }
    for (const c of s.unless ?? []) if (!classifiers.has(c)) diag(`${at}/unless`, `unknown classifier "${c}"`);
    seen.add(s.name);
  });
}

export type { Rule };
