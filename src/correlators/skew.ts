import type { LogEvent } from '../model/event.js';
import type { ClockSkewEstimate } from '../model/report.js';
import { EventStore } from '../store/event-store.js';
import { parseDuration } from '../time/duration.js';
import type { LoadedRule, SyncRule } from '../rules/types.js';
import { pushTo } from '../util/multimap.js';

/** One host's clock offset against a reference host. */
export type ClockSkew = ClockSkewEstimate;

/** Pairs are looked for this far beyond the expected delay, so a skew of up to ±10 min shows. */
const SEARCH_US = 600_000_000;

/**
 * Estimates host clock offsets from sync rules: for each pair (`from` on host A, `to` on host B with the
 * same join captures), `to - from - expected delay` is B's offset against A plus noise. The estimate is
 * the median over pairs; its uncertainty is half the expected delay range plus the timestamps'
 * precision plus the pairs' median absolute deviation. Offsets are given against one reference host
 * (the one in most pairs), through direct pairs only.
 */
export function estimateSkew(store: EventStore, rules: readonly LoadedRule[]): ClockSkew[] {
  type Sample = { a: string; b: string; r: number; slack: number; rule: string };
  const samples: Sample[] = [];
  for (const lr of rules) {
    if (lr.rule.kind !== 'sync') continue;
    const rule = lr.rule as SyncRule;
    const min = parseDuration(rule.delay.min) ?? 0;
    const max = parseDuration(rule.delay.max) ?? 0;
    const mid = (min + max) / 2;
    const key = (e: LogEvent): string | null => {
      const parts = rule.join.map((j) => e.captures?.[j]);
      return parts.some((p) => p === undefined) ? null : parts.join('\0');
    };
    const toByKey = new Map<string, LogEvent[]>();
    for (const e of store.query({ kind: rule.to.event })) {
      const k = key(e);
      if (k !== null) pushTo(toByKey, k, e);
    }
    for (const f of store.query({ kind: rule.from.event })) {
      const k = key(f);
      if (k === null) continue;
      // The nearest `to` of the same key on another host.
      let best: LogEvent | undefined;
      for (const t of toByKey.get(k) ?? []) {
        if (t.host === f.host || Math.abs(t.ts - f.ts - mid) > SEARCH_US) continue;
        if (!best || Math.abs(t.ts - f.ts - mid) < Math.abs(best.ts - f.ts - mid)) best = t;
      }
      if (best) samples.push({ a: f.host, b: best.host, r: best.ts - f.ts - mid, slack: (max - min) / 2 + Math.max(f.precision, best.precision, 1), rule: lr.rule.id });
    }
  }
  if (samples.length === 0) return [];
  const weight = new Map<string, number>();
  for (const s of samples) for (const h of [s.a, s.b]) weight.set(h, (weight.get(h) ?? 0) + 1);
  const reference = [...weight.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0][0];
  const byHost = new Map<string, Sample[]>();
  for (const s of samples) {
    // Express every sample as "host's offset against the reference".
    if (s.a === reference) pushTo(byHost, s.b, s);
    else if (s.b === reference) pushTo(byHost, s.a, { ...s, r: -s.r });
  }
  const out: ClockSkew[] = [];
  for (const [host, list] of [...byHost.entries()].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    const rs = list.map((s) => s.r).sort((x, y) => x - y);
    const med = median(rs);
    const mad = median(rs.map((r) => Math.abs(r - med)).sort((x, y) => x - y));
    const slack = Math.max(...list.map((s) => s.slack));
    out.push({
      host,
      reference,
      offsetMs: Math.round(med / 1000),
      uncertaintyMs: Math.round((slack + mad) / 1000),
      pairs: list.length,
      rules: [...new Set(list.map((s) => s.rule))],
    });
  }
  return out;
}

function median(sorted: number[]): number {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/** Shifts each host's events by its estimated offset, so that all hosts share the reference clock. */
export function correctSkew(store: EventStore, skews: readonly ClockSkew[]): EventStore {
  const shift = new Map(skews.map((s) => [s.host, s]));
  const out = new EventStore();
  for (const e of [...store.all(), ...store.withoutTime()]) {
    const s = shift.get(e.host);
    out.add(s && Math.abs(s.offsetMs) > s.uncertaintyMs ? { ...e, ts: e.ts - s.offsetMs * 1000, precision: Math.max(e.precision, s.uncertaintyMs * 1000) } : e);
  }
  return out;
}
