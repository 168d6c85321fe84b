import type { Severity } from '../model/severity.js';

/** A line that must (or must not) classify, with the captures it must yield. */
export interface SignatureExample {
  line: string;
  /** Expected captures (subset) when the line must fire. */
  captures?: Record<string, string | number>;
}

/** Classifies a log line into a typed event with named captures. */
export interface SignatureRule {
  id: string;
  kind: 'signature';
  /** Event kind produced, e.g. `iscsi.conn_error`. Several signatures may produce one kind. */
  event: string;
  title?: string;
  match: {
    /** Regex on the message (after the log header), with named groups as captures. */
    regex: string;
    flags?: string;
    /** Literals every matching line contains; derived from the regex when omitted. Used by the prefilter. */
    literals?: string[];
    /** Restrict to these programs (`kernel`, `iscsid`, ...). */
    program?: string[];
  };
  /** Optional expression over the event (`klog.kv.controller == "taint-eviction-controller"`). */
  where?: string;
  /** Capture types: `int` and `number` convert, default string. */
  captures?: Record<string, 'string' | 'int' | 'number'>;
  /** Captures rewritten through a lookup built from other events (SCSI address to sdX). */
  resolve?: Record<string, { lookup: string; key: string[] }>;
  examples?: { fire?: SignatureExample[]; silent?: string[] };
}

/** How a chain step's window is anchored. */
export interface StepAfter {
  step: string;
  /** Duration text (`10s`, `5m`). */
  within: string;
}

export interface ChainStep {
  name: string;
  /** Event kind, or `finding:<rule-id>` for another rule's findings (composition). */
  event: string;
  /** The step happens within `within` after the named earlier step. */
  after?: StepAfter;
  /** The step happens within `within` before the named earlier step (a precondition found afterwards). */
  before?: StepAfter;
  /** `same` (default: the host of the first step), `any`, or the name of an earlier step whose host to use. */
  host?: string;
  where?: string;
  /** Burst: at least `min` events in one `bucket` (same printed second for `1s`) or in a sliding `window`. */
  count?: { min: number; bucket?: string; window?: string; by?: string[] };
  /** A missing optional step lowers confidence instead of failing the match. */
  optional?: boolean;
  /** The step must NOT occur in its window (decided only where the logs cover the window). */
  absent?: boolean;
  /**
   * Captures of this step that join (must equal values bound by earlier steps) and bind (for later
   * steps). Default: all of them, so reusing a capture name is an equality join. `[]` for a step of
   * the same kind as an earlier one whose captures must not be compared.
   */
  join?: string[];
  /** Classifier ids: an event they match does not count for this step. */
  unless?: string[];
}

export interface RuleExamples {
  /** Log lines (any supported format, one input) on which the rule must fire. */
  fire?: Array<{ lines: string[]; entities?: Record<string, unknown>; host?: string }>;
  /** Log lines on which it must stay silent. */
  silent?: Array<{ lines: string[]; host?: string }>;
}

interface FindingRuleBase {
  id: string;
  title: string;
  severity: Severity;
  /** Why this happens; `{name}` placeholders are filled from entities. */
  explanation: string;
  remediation?: string[];
  /** Entities of the finding: name -> template over step captures (`{ro.dev}`) or `collect(step.capture)`. */
  entities?: Record<string, string>;
  /** Entities that identify one finding; matches with the same values merge. Default: host of the first step. */
  group?: string[];
  /** Tolerated clock skew between hosts for cross-host steps. */
  skew?: string;
  /** Named thresholds readable in conditions as `params.<name>`; overridable with `--param <rule>.<name>=<value>`. */
  params?: Record<string, number | string | boolean>;
  examples?: RuleExamples;
  description?: string;
}

export interface ChainRule extends FindingRuleBase {
  kind: 'chain';
  steps: ChainStep[];
}

/** One event (or burst) with conditions. */
export interface SingleRule extends FindingRuleBase {
  kind: 'single';
  step: Omit<ChainStep, 'after' | 'absent'>;
}

/** A trigger without its counterpart within a duration. */
export interface AbsenceRule extends FindingRuleBase {
  kind: 'absence';
  trigger: Omit<ChainStep, 'after' | 'absent'>;
  missing: Omit<ChainStep, 'after' | 'absent' | 'optional'> & { within: string };
}

/** A named benign pattern used by `unless` to suppress events. */
export interface ClassifierRule {
  id: string;
  kind: 'classifier';
  title?: string;
  event?: string;
  where?: string;
  match?: SignatureRule['match'];
}

/**
 * A table built from events, used by signatures' `resolve` to rename captures: e.g. SCSI address
 * `2:0:0:0` -> `sdb` from `sd 2:0:0:0: [sdb] Attached SCSI disk`. Tables are per host.
 */
export interface LookupRule {
  id: string;
  kind: 'lookup';
  title?: string;
  /** Event kind whose captures fill the table. */
  event: string;
  /** Captures forming the key. */
  key: string[];
  /** Capture holding the value. */
  value: string;
}

/**
 * Two events that must be nearly simultaneous across hosts (a pod deleted by the controller-manager
 * and its container killed by the node's kubelet). Pairs of them estimate each host's clock offset.
 */
export interface SyncRule {
  id: string;
  kind: 'sync';
  title?: string;
  from: { event: string };
  to: { event: string };
  /** Captures that identify a pair (e.g. `pod`). */
  join: string[];
  /** Expected delay from `from` to `to` on a correct clock. */
  delay: { min: string; max: string };
}

export type FindingRule = ChainRule | SingleRule | AbsenceRule;
export type Rule = SignatureRule | FindingRule | ClassifierRule | LookupRule | SyncRule;

/** A rule with where it came from. */
export interface LoadedRule<R extends Rule = Rule> {
  rule: R;
  file: string;
  /** JSON path of the rule in its file. */
  path: string;
}
