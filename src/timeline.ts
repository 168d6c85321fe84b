import { ForensicsError } from './model/errors.js';
import type { InputSummary, TimelineEntry } from './model/report.js';
import { microsFromIso } from './model/time.js';
import { checkZones } from './time/zone.js';
import { loadRules } from './rules/loader.js';
import { Classifier } from './rules/signatures.js';
import { planInputs } from './pipeline/plan.js';
import { ingestInputs } from './pipeline/ingest.js';
import { timelineEntries } from './analyze.js';

/** Options of {@link timeline}. */
export interface TimelineOptions {
  /** ISO 8601 instants (UTC when no zone); a date alone is its start. */
  since?: string;
  until?: string;
  hosts?: string[];
  /** Only lines matching this regex (case-insensitive). */
  grep?: string;
  /** Only classified events (lines a signature typed). */
  classifiedOnly?: boolean;
  host?: string;
  tz?: string;
  tzByHost?: Record<string, string>;
  year?: number;
  rules?: string[];
  signal?: AbortSignal;
}

/**
 * The merged events of all hosts in time order, every line of every input (filtered), each with its
 * UTC time and timestamp quality. Filters apply while reading, so memory grows with what is kept.
 */
export async function timeline(paths: readonly string[], options: TimelineOptions = {}): Promise<{ entries: TimelineEntry[]; inputs: InputSummary[] }> {
  checkZones(options.tz, options.tzByHost);
  const since = options.since ? instant(options.since, 'since') : -Infinity;
  const until = options.until ? instant(options.until, 'until', true) : Infinity;
  const hosts = options.hosts?.length ? new Set(options.hosts) : null;
  let re: RegExp | null = null;
  if (options.grep) {
    try {
      re = new RegExp(options.grep, 'i');
    } catch (err) {
      throw new ForensicsError('E_USAGE', `--grep: ${(err as Error).message}`);
    }
  }
  const rules = await loadRules(options.rules ?? []);
  const { planned, skipped } = await planInputs(paths, { host: options.host });
  const inWindow = (ts: number): boolean => Number.isNaN(ts) || (ts >= since && ts <= until);
  const { store, inputs } = await ingestInputs(planned, new Classifier(rules), {
    tz: options.tz,
    tzByHost: options.tzByHost,
    year: options.year,
    signal: options.signal,
    keep: options.classifiedOnly ? undefined : (e) => inWindow(e.ts) && (!hosts || hosts.has(e.host)) && (!re || re.test(e.text)),
  });
  const entries = timelineEntries(store).filter((t) => {
    const ts = t.time ? microsFromIso(t.time) : NaN;
    return inWindow(ts) && (!hosts || hosts.has(t.host)) && (!re || re.test(t.text));
  });
  return { entries, inputs: [...skipped, ...inputs] };
}

function instant(text: string, what: string, endOfDay = false): number {
  const t = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T${endOfDay ? '23:59:59.999999' : '00:00:00'}Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`;
  const us = microsFromIso(t.replace(' ', 'T'));
  if (Number.isNaN(us)) throw new ForensicsError('E_USAGE', `--${what}: "${text}" is not an ISO 8601 time such as 2026-05-28T10:21:00Z`);
  return us;
}
