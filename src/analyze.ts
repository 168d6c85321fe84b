import { stat } from 'node:fs/promises';
import { ForensicsError } from './model/errors.js';
import type { LogEvent } from './model/event.js';
import type { Finding, InputSummary, Report } from './model/report.js';
import { severityRank } from './model/severity.js';
import { isoFromMicros } from './model/time.js';
import { discover, rotationBase } from './input/discover.js';
import { headLines, sniffFile, type Sniffed } from './input/sniff.js';
import { readInput, type ReadObservations } from './ingest/read-input.js';
import { detectFormat } from './parsers/registry.js';
import { EventStore } from './store/event-store.js';
import { anchorEvents, BootAnchors } from './time/boot-anchors.js';
import { zoneClock } from './time/zone.js';
import { loadRules } from './rules/loader.js';
import { Classifier, resolveCaptures } from './rules/signatures.js';
import type { LoadedRule } from './rules/types.js';
import { Coverage, runRules, type NearMiss } from './correlators/engine.js';

/** Options of {@link analyze}. */
export interface AnalyzeOptions {
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
  /** Year of year-less timestamps; default: inferred from the file's modification time. */
  year?: number;
  /** Report chains that matched only some steps. */
  nearMisses?: boolean;
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

/** Report plus what the library offers beyond the `--json` contract. */
export interface AnalyzeResult extends Report {
  nearMisses?: NearMiss[];
}

/**
 * Reads every log under `paths`, classifies lines with the rule pack's signatures, aligns time and
 * runs the correlation rules. Resolves to the report printed by `forensics analyze --json`.
 *
 * @throws {ForensicsError} `E_NOTHING_READABLE` when no input could be read at all; `E_RULE_INVALID` for bad rules.
 */
export async function analyze(paths: readonly string[], options: AnalyzeOptions = {}): Promise<AnalyzeResult> {
  const rules = await loadRules(options.rules ?? [], { builtin: options.builtinRules !== false });
  for (const tz of [options.tz, ...Object.values(options.tzByHost ?? {})]) if (tz) zoneClock(tz);
  const { files, problems } = await discover(paths);
  const inputs: InputSummary[] = problems.map((p) => skipped(p.path, 'unknown', p.message));
  const classifier = new Classifier(rules);
  const kept: LogEvent[] = [];
  const anchors = new BootAnchors();
  const coverage = new Coverage();
  const pendingCoverage: Array<{ host: string; obs: ReadObservations; summary: InputSummary }> = [];

  type Planned = { abs: string; rel: string; hostFromPath?: string; sniffed: Sniffed; size: number; mtime: Date };
  const planned: Planned[] = [];
  for (const f of files) {
    try {
      const st = await stat(f.abs);
      if (st.size === 0) {
        inputs.push(skipped(f.rel, f.hostFromPath ?? options.host ?? 'unknown', 'empty file'));
        continue;
      }
      planned.push({ ...f, sniffed: await sniffFile(f.abs), size: st.size, mtime: st.mtime });
    } catch (err) {
      inputs.push(skipped(f.rel, f.hostFromPath ?? 'unknown', `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`));
    }
  }
  const bytesTotal = planned.reduce((a, p) => a + p.size, 0);
  let bytesRead = 0;
  let inputsDone = 0;
  let readable = 0;

  for (const p of planned) {
    const host = p.hostFromPath ?? options.host;
    if (p.sniffed.binary) {
      inputs.push(skipped(p.rel, host ?? 'unknown', p.sniffed.binary, p.sniffed.compression));
      continue;
    }
    const parser = detectFormat(headLines(p.sniffed));
    if (!parser) {
      const what = p.sniffed.head.length === 0 ? 'no text could be decompressed' : 'not a recognised log format';
      inputs.push(skipped(p.rel, host ?? 'unknown', what, p.sniffed.compression));
      continue;
    }
    const tz = (host && options.tzByHost?.[host]) ?? options.tz ?? 'UTC';
    const { summary, obs } = await readInput(
      { abs: p.abs, rel: p.rel, host, sniffed: p.sniffed, parser, year: options.year ?? p.mtime.getUTCFullYear(), tz },
      {
        signal: options.signal,
        progress: (n) => {
          bytesRead += n;
          options.onProgress?.({ bytesRead, bytesTotal, inputsDone, inputsTotal: planned.length });
        },
        event: (e) => {
          if (e.mono !== undefined && Number.isFinite(e.ts)) anchors.observe(e.host, e.ts, e.mono, e.precision);
          for (const c of classifier.classify(e)) kept.push(c);
        },
      },
    );
    readable++;
    inputsDone++;
    inputs.push(summary);
    pendingCoverage.push({ host: summary.host, obs, summary });
    options.onProgress?.({ bytesRead, bytesTotal, inputsDone, inputsTotal: planned.length });
  }
  if (readable === 0 && paths.length > 0) {
    throw new ForensicsError('E_NOTHING_READABLE', inputs.length ? `nothing readable: ${inputs.map((i) => `${i.path} (${i.skipped})`).join('; ')}` : 'nothing readable');
  }

  anchorEvents(kept, anchors);
  for (const { host, obs, summary } of pendingCoverage) {
    for (const [a, b] of obs.spans) coverage.add(host, a, b);
    if (obs.mono && summary.first === null) {
      const seg = anchors.segmentFor(host, obs.mono.min, obs.mono.max);
      if (seg) {
        const a = seg.boot + obs.mono.min * 1e6;
        const b = seg.boot + obs.mono.max * 1e6;
        summary.first = isoFromMicros(a);
        summary.last = isoFromMicros(b);
        coverage.add(host, a, b);
      } else {
        summary.warnings.push({ line: 0, message: 'kernel monotonic times could not be anchored to wall time (no kern.log of this host with [mono] stamps): events keep relative time' });
      }
    }
  }

  const store = new EventStore();
  resolveCaptures(kept, classifier);
  for (const e of dedupeRotations(kept)) store.add(e);
  const { findings, nearMisses } = runRules(store, rules, { coverage, classifier, nearMisses: options.nearMisses });
  return buildReport(inputs, findings, rules, nearMisses, options.nearMisses === true);
}

/**
 * Rotated files (`syslog`, `syslog.1`, `syslog.2.gz`) overlap at their boundaries; a line present in
 * two of them counts once (same host, same rotation base, same time, same text).
 */
function dedupeRotations(events: LogEvent[]): LogEvent[] {
  const seen = new Set<string>();
  const out: LogEvent[] = [];
  for (const e of events) {
    const key = `${e.host}\0${rotationBase(e.file).base}\0${e.ts}\0${e.kind}\0${e.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out;
}

function skipped(path: string, host: string, reason: string, compression?: 'gzip' | 'none'): InputSummary {
  return {
    path,
    format: 'skipped',
    host,
    lines: 0,
    unparsed: 0,
    first: null,
    last: null,
    warnings: [{ line: 0, message: `skipped: ${reason}` }],
    skipped: reason,
    ...(compression ? { compression } : {}),
  };
}

function buildReport(inputs: InputSummary[], findings: Finding[], rules: LoadedRule[], nearMisses: NearMiss[], withNear: boolean): AnalyzeResult {
  inputs.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  findings.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || (a.start < b.start ? -1 : a.start > b.start ? 1 : 0) || (a.rule < b.rule ? -1 : 1));
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
