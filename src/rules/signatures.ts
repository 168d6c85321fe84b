import type { LogEvent } from '../model/event.js';
import { regexLiterals } from './regex.js';
import type { ClassifierRule, LoadedRule, LookupRule, SignatureRule } from './types.js';
import { WhereCompiler } from './where.js';
import { pushTo } from '../util/multimap.js';

/** A signature ready to run: regex compiled once, literals for the prefilter. */
export interface CompiledSignature {
  rule: SignatureRule;
  re: RegExp;
  /** Every match contains one of these (empty: no prefilter possible, always tried). */
  literals: string[];
  programs: Set<string> | null;
  types: Record<string, 'string' | 'int' | 'number'>;
  /** Extra condition over the classified event (from `where`). */
  where?: (e: LogEvent) => boolean;
}

/** Classifies events by the rule pack's signatures; knows nothing of any incident. */
export class Classifier {
  readonly signatures: CompiledSignature[];
  readonly lookups: LookupRule[];
  readonly classifiers: Map<string, { rule: ClassifierRule; test: (e: LogEvent) => boolean }>;
  /**
   * Matches where any signature literal occurs: one regex test per event instead of an `includes` per
   * literal per signature (most lines hold none; raw dmesg through the reference path: 35 -> 10 ms per
   * 80k lines). Null when no signature has literals.
   */
  private readonly anyLiteral: RegExp | null;

  constructor(rules: readonly LoadedRule[]) {
    const wheres = new WhereCompiler(rules);
    const compileWhere = (src: string, lr: LoadedRule): ((e: LogEvent) => boolean) => wheres.event(lr, src);
    this.signatures = [];
    this.lookups = [];
    this.classifiers = new Map();
    for (const lr of rules) {
      const r = lr.rule;
      if (r.kind === 'signature') {
        this.signatures.push({
          rule: r,
          re: new RegExp(r.match.regex, r.match.flags ?? ''),
          literals: r.match.literals ?? regexLiterals(r.match.regex, r.match.flags),
          programs: r.match.program ? new Set(r.match.program) : null,
          types: r.captures ?? {},
          where: r.where ? compileWhere(r.where, lr) : undefined,
        });
      } else if (r.kind === 'lookup') {
        this.lookups.push(r);
      } else if (r.kind === 'classifier') {
        const re = r.match ? new RegExp(r.match.regex, r.match.flags ?? '') : null;
        const where = r.where ? compileWhere(r.where, lr) : undefined;
        this.classifiers.set(r.id, {
          rule: r,
          test: (e) => (!r.event || e.kind === r.event) && (!re || re.test(e.msg)) && (!where || where(e)),
        });
      }
    }
    const literals = new Set(this.signatures.flatMap((s) => s.literals));
    this.anyLiteral = literals.size > 0 ? new RegExp([...literals].map(escapeRegex).join('|')) : null;
  }

  /**
   * All literals of all signatures (for a chunk-level prefilter). A signature with none disables
   * prefiltering. Signatures restricted to `excludePrograms` (programs only snapshot parsers produce,
   * never a syslog/journal line) do not count: their short literals would slow the text scan.
   */
  prefilterLiterals(excludePrograms: readonly string[] = []): string[] | null {
    const out = new Set<string>();
    for (const s of this.signatures) {
      if (s.programs && [...s.programs].every((p) => excludePrograms.includes(p))) continue;
      if (s.literals.length === 0) return null;
      for (const l of s.literals) out.add(l);
    }
    return [...out];
  }

  /**
   * The events this line becomes: one per matching signature (usually none or one), each a copy of
   * `e` with `kind` and typed `captures`.
   */
  classify(e: LogEvent): LogEvent[] {
    let out: LogEvent[] | undefined;
    const msg = e.msg;
    // Without any literal in the message, only signatures without literals can match.
    const some = this.anyLiteral !== null && this.anyLiteral.test(msg);
    for (const s of this.signatures) {
      if (s.literals.length > 0 && (!some || !hasAny(msg, s.literals))) continue;
      if (s.programs && (e.program === undefined || !s.programs.has(e.program))) continue;
      const m = s.re.exec(msg);
      if (!m) continue;
      const captures: Record<string, string | number> = {};
      if (m.groups) {
        for (const [k, v] of Object.entries(m.groups)) {
          if (v === undefined) continue;
          const t = s.types[k];
          captures[k] = t === 'int' ? parseInt(v, 10) : t === 'number' ? Number(v) : v;
        }
      }
      const ev: LogEvent = { ...e, kind: s.rule.event, captures };
      if (s.where && !s.where(ev)) continue;
      (out ??= []).push(ev);
    }
    return out ?? NONE;
  }
}

const NONE: LogEvent[] = [];

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function hasAny(s: string, lits: string[]): boolean {
  for (const l of lits) if (s.includes(l)) return true;
  return false;
}

/**
 * Applies lookup tables (e.g. SCSI address -> sdX) to captures named in signatures' `resolve`.
 * Runs after all inputs are read, because attach lines and errors can be in different files.
 */
export function resolveCaptures(events: readonly LogEvent[], classifier: Classifier): void {
  if (classifier.lookups.length === 0) return;
  const tables = new Map<string, Map<string, string | number>>();
  for (const l of classifier.lookups) tables.set(l.id, new Map());
  const byEvent = new Map<string, LookupRule[]>();
  for (const l of classifier.lookups) pushTo(byEvent, l.event, l);
  for (const e of events) {
    const ls = e.kind ? byEvent.get(e.kind) : undefined;
    if (!ls || !e.captures) continue;
    for (const l of ls) {
      const v = e.captures[l.value];
      if (v === undefined) continue;
      const key = lookupKey(e.host, l.key.map((k) => e.captures![k]));
      if (key !== null) tables.get(l.id)!.set(key, v);
    }
  }
  const sigByEvent = new Map<string, SignatureRule[]>();
  for (const s of classifier.signatures) if (s.rule.resolve) pushTo(sigByEvent, s.rule.event, s.rule);
  const pairs = pairByElimination(events, classifier.lookups, tables, sigByEvent);
  for (const e of events) {
    const sigs = e.kind ? sigByEvent.get(e.kind) : undefined;
    if (!sigs || !e.captures) continue;
    for (const s of sigs) {
      for (const [cap, r] of Object.entries(s.resolve ?? {})) {
        const key = lookupKey(e.host, r.key.map((k) => e.captures![k]));
        const v = key === null ? undefined : (tables.get(r.lookup)?.get(key) ?? pairs.get(`${r.lookup}\0${key}`));
        if (v !== undefined) e.captures[cap] = v;
        else if (e.captures[cap] === undefined && r.key.length === 1 && e.captures[r.key[0]] !== undefined) {
          // Keep the address when no line names the disk.
          e.captures[cap] = e.captures[r.key[0]];
        }
      }
    }
  }
}

/**
 * When a host has exactly one key no table entry maps (a SCSI address with no attach line) and
 * exactly one value no entry produces (a disk named only by EXT4), they can only belong together.
 */
function pairByElimination(
  events: readonly LogEvent[],
  lookups: readonly LookupRule[],
  tables: Map<string, Map<string, string | number>>,
  sigByEvent: Map<string, SignatureRule[]>,
): Map<string, string | number> {
  const out = new Map<string, string | number>();
  for (const l of lookups) {
    const table = tables.get(l.id)!;
    const mapped = new Set([...table.values()].map(String));
    const unmappedKeys = new Map<string, Set<string>>();
    const unmappedValues = new Map<string, Set<string | number>>();
    for (const e of events) {
      if (!e.captures) continue;
      for (const s of (e.kind ? sigByEvent.get(e.kind) : undefined) ?? []) {
        for (const r of Object.values(s.resolve ?? {})) {
          if (r.lookup !== l.id) continue;
          const key = lookupKey(e.host, r.key.map((k) => e.captures![k]));
          if (key !== null && !table.has(key)) unmappedKeys.set(e.host, (unmappedKeys.get(e.host) ?? new Set()).add(key));
        }
      }
      const v = e.captures[l.value];
      if (v !== undefined && !mapped.has(String(v)) && !(e.kind && sigByEvent.get(e.kind)?.some((s) => s.resolve?.[l.value]))) {
        unmappedValues.set(e.host, (unmappedValues.get(e.host) ?? new Set()).add(v));
      }
    }
    for (const [host, keys] of unmappedKeys) {
      const values = unmappedValues.get(host);
      if (keys.size === 1 && values?.size === 1) out.set(`${l.id}\0${[...keys][0]}`, [...values][0]);
    }
  }
  return out;
}

function lookupKey(host: string, parts: Array<string | number | undefined>): string | null {
  if (parts.some((p) => p === undefined)) return null;
  return `${host}\0${parts.join('\0')}`;
}
