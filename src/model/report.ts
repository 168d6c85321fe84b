import type { FormatId, InputWarning } from './event.js';
import type { Severity } from './severity.js';
import type { TimeQuality } from './time.js';

/** One input file as read, with its accounting. Part of the `--json` contract (schemaVersion 1). */
export interface InputSummary {
  /** Path relative to the argument it was found under (or as given, for a single file). */
  path: string;
  /** Detected format, or `skipped` with a reason in `warnings`. */
  format: FormatId | 'skipped';
  /** Host the lines are attributed to. */
  host: string;
  /** Physical lines read. */
  lines: number;
  /** Lines not understood by the format (lines = understood + unparsed). */
  unparsed: number;
  /** Times of the first and last lines with a wall time, in file order (ISO 8601 UTC), or null when none. */
  first: string | null;
  last: string | null;
  /** Warnings, capped per input; `warningsDropped` counts the rest. */
  warnings: InputWarning[];
  /** Warnings left out of `warnings` by the per-input cap. */
  warningsDropped?: number;
  /** Compression detected from content. */
  compression?: 'gzip' | 'none';
  /** Bytes read (decompressed). */
  bytes?: number;
  /** Why the input was skipped, when `format` is `skipped`. */
  skipped?: string;
}

/** One step of a finding's chain, with its evidence. */
export interface FindingStep {
  /** Step name in the rule. */
  name: string;
  /** Event kind (signature) that matched the step. */
  event: string;
  /** ISO 8601 UTC. */
  time: string;
  host: string;
  /** File relative to the path given on the command line. */
  file: string;
  line: number;
  /** The raw line. */
  text: string;
  /** Timestamp quality of the evidence. */
  quality?: TimeQuality;
  /** Number of events the step aggregated (bursts). */
  count?: number;
}

/** One detected causal chain or condition. */
export interface Finding {
  /** Stable rule id. */
  rule: string;
  title: string;
  severity: Severity;
  /** ISO 8601 UTC of the first and last step. */
  start: string;
  end: string;
  hosts: string[];
  /** Named values bound by the rule (device, pods, timeout, ...). */
  entities: Record<string, string | number | boolean | string[] | number[]>;
  steps: FindingStep[];
  explanation: string;
  remediation: string[];
  /** 0..1: lowered by missing optional steps and weak timestamps. */
  confidence?: number;
}

/** A chain that matched k of its n required steps: the investigator's next question is the missing step. */
export interface NearMiss {
  rule: string;
  /** Required steps matched, of `of`. */
  matched: number;
  of: number;
  /** Name of the first required step that failed. */
  missing: string;
  /** Why it failed: not found, present where it must be absent, or undecidable because logs do not cover the window. */
  reason: 'not-found' | 'not-covered' | 'present';
  hosts: string[];
  /** Evidence of the steps that matched. */
  steps: FindingStep[];
}

/** One event on the merged timeline (`--timeline`, `forensics timeline`). */
export interface TimelineEntry {
  /** ISO 8601 UTC, or `''` for a line whose time could not be placed (listed last). */
  time: string;
  host: string;
  file: string;
  line: number;
  /** The raw line. */
  text: string;
  /** Signature kind, e.g. `iscsi.conn_error`, when a signature classified the line. */
  kind?: string;
  quality?: TimeQuality;
  severity?: Severity;
}

/** The report object printed by `--json` and returned by `analyze()`. */
export interface Report {
  schemaVersion: 1;
  inputs: InputSummary[];
  findings: Finding[];
  /** Chains that matched only some steps, with `--near-misses` / `{ nearMisses: true }`. */
  nearMisses?: NearMiss[];
  /** Classified events in time order, with `--timeline` / `{ timeline: true }`. */
  timeline?: TimelineEntry[];
  /** Tool version and run parameters. */
  meta?: ReportMeta;
}

export interface ReportMeta {
  tool: string;
  version: string;
  generatedAt: string;
  rules: number;
  /** Total lines read and not understood across inputs. */
  lines: number;
  unparsed: number;
  /** Estimated clock offsets of hosts against a reference host (from sync rules). */
  clockSkew?: ClockSkewEstimate[];
  /** True when events were shifted by those offsets before correlation (`--correct-skew`). */
  skewCorrected?: boolean;
  /** Rules whose partial matches were cut at the engine's bound (findings may be missing). */
  truncatedRules?: string[];
}

/** A host's clock offset against a reference host, estimated from nearly simultaneous events. */
export interface ClockSkewEstimate {
  host: string;
  reference: string;
  /** How far the host's clock is ahead of the reference (negative: behind), in ms. */
  offsetMs: number;
  /** Half-width of the interval the true offset lies in, in ms. */
  uncertaintyMs: number;
  pairs: number;
  rules: string[];
}
