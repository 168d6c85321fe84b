import type { InputSummary } from '../model/report.js';
import { Coverage, runRules as runRulesInternal, type NearMiss, type RunRulesResult } from '../correlators/engine.js';
import { ingestInputs } from '../pipeline/ingest.js';
import { Classifier } from '../rules/signatures.js';
import type { LoadedRule } from '../rules/types.js';
import type { EventStore } from '../store/event-store.js';
import { AbortedError, InputError, throwIfAborted } from './errors.js';
import { plannedOf, type InputHandle } from './inputs.js';

export { Coverage, type NearMiss, type RunRulesResult };

// A Classifier compiles every signature regex: build it once per rule list.
const classifiers = new WeakMap<readonly LoadedRule[], Classifier>();
function classifierFor(rules: readonly LoadedRule[]): Classifier {
  let c = classifiers.get(rules);
  if (!c) classifiers.set(rules, (c = new Classifier(rules)));
  return c;
}

/** Options of {@link ingest}. */
export interface IngestOptions {
  /** IANA zone of zone-less timestamps; default UTC. */
  tz?: string;
  /** Zones per host, overriding `tz`. */
  tzByHost?: Record<string, string>;
  /** Year of year-less timestamps; default each input's modification year. */
  year?: number;
  /** Also keep events no signature classified (for a full timeline); default false. */
  keepAll?: boolean;
  /** Stops reading; rejects with {@link AbortedError} (`E_ABORTED`). */
  signal?: AbortSignal;
  /** Called as bytes are read and inputs finish. */
  onProgress?: (p: IngestProgress) => void;
}

/** Progress of {@link ingest} and {@link analyze}. */
export interface IngestProgress {
  bytesRead: number;
  bytesTotal: number;
  inputsDone: number;
  inputsTotal: number;
}

/** Result of {@link ingest}: the store {@link runRules} reads, and per-input accounting. */
export interface IngestResult {
  /** Classified events (and with `keepAll`, every event), time-aligned and de-duplicated across files. */
  store: EventStore;
  /** One summary per input read (lines, unparsed, time range, warnings). */
  inputs: InputSummary[];
  /** What each host's logs cover: pass it to {@link runRules} so absence rules can decide. */
  coverage: Coverage;
}

/**
 * Reads inputs and keeps the events the rules' signatures classify (`kind`, `captures`), anchors
 * kernel monotonic times to wall time, adds `host.log_gap` / `host.clock_jump` events and
 * de-duplicates lines seen in several files. This is what {@link analyze} does before the rules run.
 *
 * @example
 * ```ts
 * const rules = await loadRules(['my-rules/']);
 * const { inputs } = await openInputs(['bundle/']);
 * const { store, coverage } = await ingest(inputs, rules);
 * const { findings } = runRules(store, rules, { coverage });
 * ```
 */
export async function ingest(inputs: readonly InputHandle[], rules: readonly LoadedRule[], options: IngestOptions = {}): Promise<IngestResult> {
  const planned = inputs.map((h) => {
    const p = plannedOf(h);
    if (!p) throw new InputError('E_INPUT_UNREADABLE', String(h?.path), 'ingest() takes inputs made by openInputs() or inputFromText()');
    return p;
  });
  throwIfAborted(options.signal, 'ingest aborted');
  try {
    const r = await ingestInputs(planned, classifierFor(rules), options);
    return { store: r.store, inputs: r.inputs, coverage: r.coverage };
  } catch (err) {
    if (options.signal?.aborted) throw new AbortedError('ingest aborted', { cause: options.signal.reason });
    throw err;
  }
}

/** Options of {@link runRules}. */
export interface RunRulesOptions {
  /** What the logs cover (from {@link ingest}); without it absence rules never fire. */
  coverage?: Coverage;
  /** Also report chains that matched only some steps. */
  nearMisses?: boolean;
  /** Partial matches kept per rule before it is cut (listed in `truncated`); default 100,000. */
  maxPartials?: number;
}

/**
 * Runs the finding rules (chain, single, absence) of `rules` over the store. Rules composing other
 * rules' findings run after them. Findings come out unsorted; `analyze` sorts by severity then time.
 *
 * @example
 * ```ts
 * const { findings } = runRules(store, rules, { coverage });
 * ```
 */
export function runRules(store: EventStore, rules: readonly LoadedRule[], options: RunRulesOptions = {}): RunRulesResult {
  return runRulesInternal(store, rules, { ...options, classifier: classifierFor(rules) });
}
