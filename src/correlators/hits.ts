import type { LogEvent } from '../model/event.js';
import { US } from '../model/time.js';

/** What matched one step: one event, or the events of a burst. */
export interface StepHit {
  events: LogEvent[];
  /** Time of the first and last event. */
  ts: number;
  tsEnd: number;
  host: string;
  /** Captures shared by every event of the hit (a burst binds only what all its events agree on). */
  captures: Record<string, string | number>;
  /** Time resolution of the hit's evidence, in microseconds. */
  precision: number;
}

export function hitOf(e: LogEvent): StepHit {
  return { events: [e], ts: e.ts, tsEnd: e.ts, host: e.host, captures: e.captures ?? {}, precision: e.precision };
}

export function hitOfBurst(events: LogEvent[]): StepHit {
  const first = events[0];
  const captures: Record<string, string | number> = { ...(first.captures ?? {}) };
  for (const e of events) {
    for (const k of Object.keys(captures)) if (e.captures?.[k] !== captures[k]) delete captures[k];
  }
  return {
    events,
    ts: first.ts,
    tsEnd: events[events.length - 1].ts,
    host: first.host,
    captures,
    precision: Math.max(...events.map((e) => e.precision)),
  };
}

/**
 * Groups time-sorted events into bursts of at least `min`: either all in the same `bucket` of time
 * (the same printed second for `1s`), or within a sliding `window`. Each event belongs to one burst.
 */
export function bursts(events: readonly LogEvent[], min: number, bucket: number | null, window: number | null): StepHit[] {
  const out: StepHit[] = [];
  if (bucket !== null) {
    let i = 0;
    while (i < events.length) {
      const b = Math.floor(events[i].ts / bucket);
      let j = i + 1;
      while (j < events.length && Math.floor(events[j].ts / bucket) === b) j++;
      if (j - i >= min) out.push(hitOfBurst(events.slice(i, j)));
      i = j;
    }
    return out;
  }
  const w = window ?? US.s;
  let i = 0;
  while (i < events.length) {
    let j = i + 1;
    while (j < events.length && events[j].ts - events[i].ts <= w) j++;
    if (j - i >= min) {
      out.push(hitOfBurst(events.slice(i, j)));
      i = j;
    } else {
      i++;
    }
  }
  return out;
}
