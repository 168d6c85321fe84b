import { ForensicsError } from './model/errors.js';
import { AbortedError } from './api/errors.js';
import type { LogEvent } from './model/event.js';
import type { Finding, InputSummary, NearMiss, Report, TimelineEntry } from './model/report.js';
import { isoFromMicros } from './model/time.js';
import type { EventStore } from './store/event-store.js';
import { severityRank } from './model/severity.js';
import { checkZones } from './time/zone.js';
import { loadRules } from './rules/loader.js';
import { Classifier } from './rules/signatures.js';
import type { LoadedRule } from './rules/types.js';
import { runRules } from './correlators/engine.js';
import { correctSkew, estimateSkew } from './correlators/skew.js';
import { planInputs } from './pipeline/plan.js';
import { ingestInputs } from './pipeline/ingest.js';

/** Options of {@link analyze}. */
export interface AnalyzeOptions {
  /** Worker threads reading inputs; default the number of cores for inputs over 64 MiB, else 1 (the calling thread). */
  jobs?: number;
  /** Extra rule files or folders (YAML/JSON), added to the built-in pack. */
  rules?: string[];
  /** Load the built-in rule pack (default true). */
  builtinRules?: boolean;
  /** Host for lines whose format and location name none. */
  host?: string;
  /** IANA zone of zone-less timestamps (syslog, klog, journal short); default UTC. */
  tz?: string;
  /** Zones per host, overriding `tz`. */
  tzByHost?: Record<string, string>;
  /** Year of year-less timestamps; default: the newest year of dated logs of the same host, else of the set, else the file's modification year. */
  year?: number;
  /** Report chains that matched only some steps. */
  nearMisses?: boolean;
  /** Time of state snapshots (kubectl objects, metrics scrapes) instead of their files' time. */
  at?: Date | string;
  /** Shift each host's events by its estimated clock offset before correlation. */
  correctSkew?: boolean;
  /** Include the classified events in time order as `timeline` (for swimlane reports). */
  timeline?: boolean;
  /** Rule parameters by rule id, overriding each rule's `params` (`{ 'kubelet-informer-stall': { minutes: 20 } }`). */
  params?: Record<string, Record<string, string | number | boolean>>;
  /** Stops the analysis: it rejects with `E_ABORTED` ({@link AbortedError}) once the current read chunk is done. */
  signal?: AbortSignal;
  /** Called as bytes are read and inputs finish. */
  onProgress?: (p: AnalyzeProgress) => void;
}

export interface AnalyzeProgress {
  bytesRead: number;
  bytesTotal: number;
  inputsDone: number;
  inputsTotal: number;
}

/** The report `analyze()` resolves to (the `--json` object). */
export type AnalyzeResult = Report;

/**
 * Reads every log under `paths`, classifies lines with the rule pack's signatures, aligns time and
 * runs the correlation rules. Resolves to the report printed by `forensics analyze --json`.
 *
 * @throws {ForensicsError} `E_NOTHING_READABLE` when no input could be read at all; `E_RULE_INVALID` for bad rules;
 *   `E_ABORTED` ({@link AbortedError}) when `signal` fires, as soon as the current read chunk is done.
 */
export async function analyze(paths: readonly string[], options: AnalyzeOptions = {}): Promise<AnalyzeResult> {
  try {
    options.signal?.throwIfAborted();
    return await run(paths, options);
  } catch (err) {
    // Whatever was interrupted (a read, a stream), an aborted call rejects with E_ABORTED.
    if (options.signal?.aborted) throw new AbortedError('analysis aborted', { cause: options.signal.reason });
    throw err;
  }
}

async function run(paths: readonly string[], options: AnalyzeOptions): Promise<AnalyzeResult> {
  const rules = applyParams(await loadRules(options.rules ?? [], { builtin: options.builtinRules !== false }), options.params ?? {});
  checkZones(options.tz, options.tzByHost);
  const { planned, skipped } = await planInputs(paths, { host: options.host });
  const classifier = new Classifier(rules);
  const at = options.at === undefined ? undefined : new Date(options.at).getTime() * 1000;
  if (at !== undefined && Number.isNaN(at)) throw new ForensicsError('E_USAGE', `at: "${String(options.at)}" is not a time (ISO 8601 expected)`);
  const ingested = await ingestInputs(planned, classifier, { ...options, at, rules });
  options.signal?.throwIfAborted();
  const inputs = [...skipped, ...ingested.inputs];
  if (ingested.readable === 0) {
    const why = inputs.map((i) => `${i.path} (${i.skipped ?? 'unreadable'})`).join('; ');
    throw new ForensicsError('E_NOTHING_READABLE', `nothing readable${why ? `: ${why}` : ''}`);
  }
  const clockSkew = estimateSkew(ingested.store, rules);
  const store = options.correctSkew && clockSkew.length > 0 ? correctSkew(ingested.store, clockSkew) : ingested.store;
  const { findings, nearMisses, truncated } = runRules(store, rules, {
    coverage: ingested.coverage,
    classifier,
    nearMisses: options.nearMisses,
  });
  const report = buildReport(inputs, findings, rules, nearMisses, options.nearMisses === true);
  if (clockSkew.length > 0) report.meta!.clockSkew = clockSkew;
  if (options.correctSkew) report.meta!.skewCorrected = clockSkew.length > 0;
  if (truncated.length > 0) report.meta!.truncatedRules = truncated;
  if (options.timeline) report.timeline = timelineEntries(store);
  return report;
}

/** Events in time order as timeline entries (events without a wall time last). */
export function timelineEntries(store: EventStore): TimelineEntry[] {
  const entry = (e: LogEvent): TimelineEntry => ({
    time: isoFromMicros(e.ts),
    host: e.host,
    file: e.file,
    line: e.line,
    text: e.text,
    ...(e.kind && !e.kind.startsWith('finding:') ? { kind: e.kind } : {}),
    quality: e.quality,
  });
  return [...store.all().filter((e) => !e.kind?.startsWith('finding:')).map(entry), ...store.withoutTime().map(entry)];
}

function applyParams(rules: LoadedRule[], params: NonNullable<AnalyzeOptions['params']>): LoadedRule[] {
  for (const id of Object.keys(params)) {
    const lr = rules.find((r) => r.rule.id === id);
    if (!lr || !('params' in lr.rule) || !lr.rule.params) throw new ForensicsError('E_USAGE', `--param: rule "${id}" has no parameters`);
    for (const name of Object.keys(params[id])) {
      if (!(name in lr.rule.params)) throw new ForensicsError('E_USAGE', `--param: rule "${id}" has no parameter "${name}" (it has ${Object.keys(lr.rule.params).join(', ')})`);
    }
  }
  return rules.map((lr) => {
    const p = params[lr.rule.id];
    return p && 'params' in lr.rule ? { ...lr, rule: { ...lr.rule, params: { ...lr.rule.params, ...p } } } : lr;
  });
}

function buildReport(inputs: InputSummary[], findings: Finding[], rules: LoadedRule[], nearMisses: NearMiss[], withNear: boolean): AnalyzeResult {
  inputs.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  findings.sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) || (a.start < b.start ? -1 : a.start > b.start ? 1 : 0) || (a.rule < b.rule ? -1 : 1),
  );
  const report: AnalyzeResult = {
    schemaVersion: 1,
    inputs,
    findings,
    meta: {
      tool: 'forensics',
      version: VERSION,
      generatedAt: new Date().toISOString(),
      rules: rules.length,
      lines: inputs.reduce((a, i) => a + i.lines, 0),
      unparsed: inputs.reduce((a, i) => a + i.unparsed, 0),
    },
  };
  if (withNear) report.nearMisses = nearMisses;
  return report;
}

/** Version of this package. */
export const VERSION = '0.1.0';
