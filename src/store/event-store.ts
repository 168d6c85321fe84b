import type { LogEvent } from '../model/event.js';
import { pushTo } from '../util/multimap.js';

/** Query of {@link EventStore.query}: all fields optional; the window is inclusive. */
export interface EventQuery {
  kind?: string;
  host?: string;
  /** UTC microseconds. */
  from?: number;
  to?: number;
}

/**
 * Time-sorted events with indexes by kind and by host+kind.
 *
 * Events are appended in any order; the first query sorts them once (stable, by time then file and
 * line), after which window queries are a binary search plus the matches: O(log n + k). Events with
 * no wall time (NaN) are kept apart and only returned by queries without a window.
 */
export class EventStore {
  private events: LogEvent[] = [];
  private untimed: LogEvent[] = [];
  private sorted = true;
  private byKind = new Map<string, LogEvent[]>();
  private byHostKind = new Map<string, LogEvent[]>();

  add(e: LogEvent): void {
    if (Number.isNaN(e.ts)) {
      this.untimed.push(e);
      return;
    }
    const last = this.events[this.events.length - 1];
    if (last && compare(last, e) > 0) this.sorted = false;
    this.events.push(e);
    this.byKind.clear();
    this.byHostKind.clear();
  }

  get size(): number {
    return this.events.length + this.untimed.length;
  }

  /** All timed events in time order. */
  all(): readonly LogEvent[] {
    this.ensureSorted();
    return this.events;
  }

  /** Events without a wall-clock time (unanchored dmesg, undated lines). */
  withoutTime(): readonly LogEvent[] {
    return this.untimed;
  }

  hosts(): string[] {
    const s = new Set<string>();
    for (const e of this.events) s.add(e.host);
    for (const e of this.untimed) s.add(e.host);
    return [...s].sort();
  }

  query(q: EventQuery): LogEvent[] {
    this.ensureSorted();
    const list = q.kind === undefined ? this.events : q.host === undefined ? this.kindList(q.kind) : this.hostKindList(q.host, q.kind);
    const from = q.from ?? -Infinity;
    const to = q.to ?? Infinity;
    const out: LogEvent[] = [];
    for (let i = lowerBound(list, from); i < list.length && list[i].ts <= to; i++) {
      const e = list[i];
      if (q.host !== undefined && e.host !== q.host) continue;
      out.push(e);
    }
    return out;
  }

  private kindList(kind: string): LogEvent[] {
    if (this.byKind.size === 0) this.index();
    return this.byKind.get(kind) ?? [];
  }

  private hostKindList(host: string, kind: string): LogEvent[] {
    if (this.byKind.size === 0) this.index();
    return this.byHostKind.get(`${host}\0${kind}`) ?? [];
  }

  private index(): void {
    for (const e of this.events) {
      const k = e.kind ?? '';
      pushTo(this.byKind, k, e);
      pushTo(this.byHostKind, `${e.host}\0${k}`, e);
    }
  }

  private ensureSorted(): void {
    if (this.sorted) return;
    this.events.sort(compare);
    this.sorted = true;
    this.byKind.clear();
    this.byHostKind.clear();
  }
}

function compare(a: LogEvent, b: LogEvent): number {
  return a.ts - b.ts || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line;
}

function lowerBound(list: LogEvent[], ts: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].ts < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
