import type { LogEvent } from '../model/event.js';
import type { InputSummary } from '../model/report.js';
import { isoFromMicros, microsFromIso, TIME_QUALITY_ORDER } from '../model/time.js';
import { zoneClock } from '../time/zone.js';
import { headLines } from '../input/sniff.js';
import { type ReadObservations } from '../ingest/read-input.js';
import { readAll, WorkerPool, type ReadResult, type ReadTask } from '../ingest/parallel.js';
import { PARALLEL_MIN_BYTES } from '../ingest/reader-threads.js';
import { MONO_ONLY_FORMATS, type FastOptions } from '../ingest/fast.js';
import type { LoadedRule } from '../rules/types.js';
import { detectFormat } from '../parsers/registry.js';
import type { Classifier } from '../rules/signatures.js';
import { resolveCaptures } from '../rules/signatures.js';
import { EventStore } from '../store/event-store.js';
import { anchorEvents, BootAnchors, orderUntimed } from '../time/boot-anchors.js';
import { Coverage } from '../correlators/coverage.js';
import { skippedInput, type PlannedInput } from './plan.js';
import { expandInputs, isArchiveInput } from '../bundles/index.js';
import type { FormatParser } from '../parsers/types.js';
import { pushTo } from '../util/multimap.js';

export interface IngestOptions {
  tz?: string;
  tzByHost?: Record<string, string>;
  year?: number;
  signal?: AbortSignal;
  onProgress?: (p: { bytesRead: number; bytesTotal: number; inputsDone: number; inputsTotal: number }) => void;
  /** Also keep events no signature classified when this returns true (for timelines). */
  keep?: (e: LogEvent) => boolean;
  /** Worker threads reading inputs (default: the number of cores); workers need `rules`. */
  jobs?: number;
  /** Rules the classifier was built from, for worker threads (without them inputs are read on this thread). */
  rules?: readonly LoadedRule[];
  /** Time (UTC µs) of state snapshots (kubectl objects, metrics) instead of their files' time (`--at`). */
  at?: number;
  /** `false`: every line fully parsed (the reference path); otherwise the fast path's tuning. */
  fast?: false | FastOptions;
}

/** What reading the inputs produced: classified events in a store, and per-input accounting. */
export interface Ingested {
  store: EventStore;
  inputs: InputSummary[];
  coverage: Coverage;
  /** Number of inputs actually read (not skipped). */
  readable: number;
}

/**
 * Reads planned inputs with their detected formats, keeps the events the classifier types, then
 * aligns time (boot anchoring of monotonic stamps) and applies capture lookups.
 */
export async function ingestInputs(planned: readonly PlannedInput[], classifier: Classifier, options: IngestOptions = {}): Promise<Ingested> {
  const inputs: InputSummary[] = [];
  const kept: LogEvent[] = [];
  const anchors = new BootAnchors();
  const coverage = new Coverage();
  const pending: Array<{ obs: ReadObservations; summary: InputSummary }> = [];
  const plannedBytes = planned.reduce((a, p) => a + p.size, 0);
  let bytesTotal = plannedBytes;
  let bytesRead = 0;
  let inputsDone = 0;
  let readable = 0;
  const progress = (): void => options.onProgress?.({ bytesRead, bytesTotal, inputsDone, inputsTotal: planned.length });

  // Archives (tar, tgz support bundles) stream their members once, in order: they are read last, on
  // this thread. Other inputs are expanded first (kubectl dumps map pod logs to nodes and add derived state).
  const archiveWarnings = new Map<string, string[]>();
  const expandOptions = { at: options.at, warn: (rel: string, message: string) => pushTo(archiveWarnings, rel, message) };
  const archives = planned.filter((p) => isArchiveInput(p));
  const regular: PlannedInput[] = [];
  for await (const p of expandInputs(planned.filter((x) => !archives.includes(x)), expandOptions)) regular.push(p);

  const recognise = (p: PlannedInput): Recognised | null => {
    if (p.sniffed.binary) {
      inputs.push(skippedInput(p.rel, p.host ?? 'unknown', p.sniffed.binary, p.sniffed.compression));
      return null;
    }
    const lines = headLines(p.sniffed);
    const parser = detectFormat(lines);
    if (!parser) {
      const what = p.sniffed.head.length === 0 ? 'no text could be decompressed' : 'not a recognised log format';
      inputs.push(skippedInput(p.rel, p.host ?? 'unknown', what, p.sniffed.compression));
      return null;
    }
    return { p, parser, head: headInfo(parser, lines, p) };
  };
  const recognised: Recognised[] = [];
  for (const p of regular) {
    const r = recognise(p);
    if (r) recognised.push(r);
  }
  recognised.sort((a, b) => Number(b.head.dated) - Number(a.head.dated));
  // Years the dated inputs tell, once read (`known`), and as their first lines suggest (`guessed`).
  const known = new NewestYears();
  const guessed = new NewestYears();
  const yearFor = (r: Recognised, years = known): number => options.year ?? years.of(r.p.host ?? r.head.host) ?? r.p.mtime.getUTCFullYear();

  const anchorLines = recognised.some((r) => MONO_ONLY_FORMATS.has(r.parser.id)) || archives.length > 0;
  const pool = new WorkerPool(options.rules ?? []);
  const tzOf = (r: Recognised): string => (r.p.host && options.tzByHost?.[r.p.host]) ?? options.tz ?? 'UTC';
  const taskFor = (r: Recognised, year: number): ReadTask => {
    const { p, parser } = r;
    // --at also places standalone goroutine dumps, which carry no time of their own.
    const mtime = options.at !== undefined && parser.id === 'goroutine' ? new Date(options.at / 1000) : p.mtime;
    return { abs: p.abs, open: p.open, rel: p.rel, host: p.host, compression: p.sniffed.compression, eol: p.sniffed.eol, parser, year, tz: tzOf(r), mtime, size: p.size };
  };
  const read = (tasks: ReadTask[]): Promise<ReadResult[]> => {
    options.signal?.throwIfAborted();
    return readAll(tasks, classifier, {
      pool,
      // Worker threads pay for themselves only on large inputs (each costs a boot and an isolate).
      jobs: options.rules ? (options.jobs ?? (plannedBytes < PARALLEL_MIN_BYTES ? 1 : undefined)) : 1,
      rules: options.rules ?? [],
      keep: options.keep,
      fast: options.fast !== false,
      fastOptions: options.fast === false ? undefined : { anchorLines, ...options.fast },
      signal: options.signal,
      progress: (n) => {
        bytesRead += n;
        progress();
      },
    });
  };
  /** Takes in what one input gave, in input order (dated inputs first: they tell the year of the rest). */
  const settle = (r: Recognised, result: ReadResult): void => {
    const { summary, obs, kept: mine, boots, years } = result;
    anchors.add(boots);
    if (r.head.dated) for (const [h, y] of years) known.add(h, y);
    if (obs.yearShift !== 0) shiftYears(mine, summary, obs, tzOf(r));
    for (const e of mine) kept.push(e);
    readable++;
    inputsDone++;
    inputs.push(summary);
    pending.push({ obs, summary });
    progress();
  };

  // Dated inputs (and dmesg: monotonic stamps or full dates, never a year-less time) tell the year of
  // the others, which are read at the same time, in the year their first lines suggest; the few whose
  // year turns out otherwise are read again. One round keeps every thread busy, each on few formats.
  const first = (r: Recognised): boolean => r.head.dated || r.parser.id === 'dmesg';
  const dated = recognised.filter(first);
  const rest = recognised.filter((r) => !first(r));
  try {
    for (const r of dated) if (r.head.year !== undefined) guessed.add(r.p.host ?? r.head.host, r.head.year);
    const guesses = rest.map((r) => yearFor(r, guessed));
    const results = await read([...dated.map((r) => taskFor(r, yearFor(r))), ...rest.map((r, i) => taskFor(r, guesses[i]))]);
    dated.forEach((r, i) => settle(r, results[i]));
    const wrong = rest.map((r, i) => (yearFor(r) !== guesses[i] ? i : -1)).filter((i) => i >= 0);
    // (Progress counts the second reading as more work.)
    for (const i of wrong) bytesTotal += rest[i].p.size;
    const again = wrong.length > 0 ? await read(wrong.map((i) => taskFor(rest[i], yearFor(rest[i])))) : [];
    wrong.forEach((i, k) => (results[dated.length + i] = again[k]));
    rest.forEach((r, i) => settle(r, results[dated.length + i]));
  } finally {
    await pool.close();
  }
  for (const archive of archives) {
    let members = 0;
    for await (const m of expandInputs([archive], expandOptions)) {
      members++;
      const r = recognise(m);
      if (r) settle(r, (await read([taskFor(r, yearFor(r))]))[0]);
    }
    const warnings = (archiveWarnings.get(archive.rel) ?? []).map((message) => ({ line: 0, message }));
    inputs.push({
      path: archive.rel,
      format: 'archive',
      host: archive.host ?? 'unknown',
      lines: 0,
      unparsed: 0,
      first: null,
      last: null,
      warnings: [{ line: 0, message: `archive: ${members} member(s) read as inputs (${archive.rel}!/...)` }, ...warnings],
      compression: archive.sniffed.compression,
    });
  }
  for (const [rel, messages] of archiveWarnings) {
    if (archives.some((a) => a.rel === rel)) continue;
    const target = inputs.find((i) => i.path === rel || i.path.startsWith(`${rel}/`));
    if (target) target.warnings.push(...messages.map((message) => ({ line: 0, message })));
  }

  // Raw dmesg and `dmesg -T` of one host pair by message text (hosts without a kern.log).
  for (const e of kept) {
    if (e.format !== 'dmesg') continue;
    if (e.mono !== undefined && Number.isNaN(e.ts)) anchors.observeMonoText(e.host, e.msg, e.mono);
    else if (e.mono === undefined && Number.isFinite(e.ts)) anchors.observeWallText(e.host, e.msg, e.ts);
  }
  anchors.pairTexts();
  const { eras } = anchorEvents(kept, anchors);
  orderUntimed(kept, eras);
  for (const { obs, summary } of pending) {
    for (const [a, b] of obs.spans) coverage.add(summary.host, a, b);
    if (obs.mono && summary.first === null) {
      const seg = anchors.segmentFor(summary.host, obs.mono.min, obs.mono.max);
      if (seg) {
        const a = seg.boot + Math.round(obs.mono.min * 1e6);
        const b = seg.boot + Math.round(obs.mono.max * 1e6);
        summary.first = isoFromMicros(a);
        summary.last = isoFromMicros(b);
        coverage.add(summary.host, a, b);
      } else {
        summary.warnings.push({
          line: 0,
          message: 'kernel monotonic times could not be anchored to wall time (no kern.log or dmesg -T of this host): events keep time relative to the boot (shown from 1970-01-01)',
        });
      }
    }
  }
  kept.push(...timeEvents(pending));
  resolveCaptures(kept, classifier);
  const store = new EventStore();
  for (const e of dedupeAcrossFiles(kept)) store.add(e);
  return { store, inputs, coverage, readable };
}

/** The newest year seen per host and in the whole set. */
class NewestYears {
  private readonly byHost = new Map<string, number>();
  private newest = 0;

  add(host: string | undefined, year: number): void {
    if (host && year > (this.byHost.get(host) ?? 0)) this.byHost.set(host, year);
    if (year > this.newest) this.newest = year;
  }

  /** The host's newest year, else the set's, else undefined. */
  of(host: string | undefined): number | undefined {
    return (host ? this.byHost.get(host) : undefined) ?? (this.newest || undefined);
  }
}

interface Recognised {
  p: PlannedInput;
  parser: FormatParser;
  head: HeadInfo;
}

interface HeadInfo {
  /** The format's lines carry a full date (year included). */
  dated: boolean;
  /** Newest year (UTC) of those first lines' full dates. */
  year?: number;
  /** Host named by the first lines, if any. */
  host?: string;
}

/** What the first lines of an input say about its dates and host, by parsing them. */
function headInfo(parser: FormatParser, lines: readonly string[], p: PlannedInput): HeadInfo {
  let dated = false;
  let year: number | undefined;
  let host: string | undefined;
  const lp = parser.create({ file: p.rel, host: p.host, year: 1970, tz: 'UTC', warn: () => {} }, (e) => {
    host ??= e.host === 'unknown' ? undefined : e.host;
    if (e.quality !== 'exact' && e.quality !== 'zone-assumed') return;
    dated = true;
    if (Number.isFinite(e.ts)) year = Math.max(year ?? 0, new Date(e.ts / 1000).getUTCFullYear());
  });
  lines.slice(0, 20).forEach((l, i) => lp.line(l, i + 1, 0));
  lp.end();
  return { dated, year, host };
}

/**
 * Moves an input's year-inferred times back by `obs.yearShift` years in its zone's calendar (the
 * printed wall time stays the same), so that the file ends in the assumed year.
 */
function shiftYears(events: LogEvent[], summary: InputSummary, obs: ReadObservations, tz: string): void {
  const clock = zoneClock(tz);
  // The parser started in the assumed year and counted rollovers up from it: every line moves back alike.
  const shift = (us: number): number => {
    const ms = Math.floor(us / 1000);
    const local = new Date(ms + clock.offsetAt(ms));
    const micros = ((us % 1_000_000) + 1_000_000) % 1_000_000;
    return clock.toUtc(local.getUTCFullYear() - obs.yearShift, local.getUTCMonth() + 1, local.getUTCDate(), local.getUTCHours(), local.getUTCMinutes(), local.getUTCSeconds(), micros);
  };
  for (const e of events) if (e.quality === 'year-inferred') e.ts = shift(e.ts);
  if (summary.first) summary.first = isoFromMicros(shift(microsFromIso(summary.first)));
  if (summary.last) summary.last = isoFromMicros(shift(microsFromIso(summary.last)));
  obs.spans = obs.spans.map(([a, b]) => [shift(a), shift(b)]);
  obs.gaps = obs.gaps.map((g) => ({ ...g, from: shift(g.from), to: shift(g.to) }));
}

/**
 * Events the pipeline makes itself: `host.log_gap` where every input of a host was silent (an outage
 * leaves exactly that), `host.clock_jump` where a file's clock stepped back.
 */
function timeEvents(pending: ReadonlyArray<{ obs: ReadObservations; summary: InputSummary }>): LogEvent[] {
  const out: LogEvent[] = [];
  const byHost = new Map<string, Array<{ obs: ReadObservations; summary: InputSummary }>>();
  for (const p of pending) pushTo(byHost, p.summary.host, p);
  const synthetic = (host: string, file: string, line: number, ts: number, kind: string, text: string, captures: Record<string, string | number>): LogEvent => ({
    ts, quality: 'exact', precision: 1_000_000, host, file, line, lines: 1, offset: 0, format: 'generated', text, msg: text, kind, captures,
  });
  for (const [host, inputs] of byHost) {
    for (const p of inputs) {
      for (const g of p.obs.gaps) {
        // A host gap only if no other input of the host logged inside it.
        const others = inputs.filter((q) => q !== p);
        const silent = others.every((q) => q.obs.spans.every(([a, b]) => b <= g.from || a >= g.to) || q.obs.gaps.some((h) => h.from <= g.from + 60e6 && h.to >= g.to - 60e6));
        if (!silent) continue;
        const minutes = Math.round((g.to - g.from) / 60e6);
        out.push(synthetic(host, p.summary.path, g.line, g.from, 'host.log_gap', `no log lines from ${host} for ${minutes} minutes (${isoFromMicros(g.from)} to ${isoFromMicros(g.to)})`, { minutes, until: isoFromMicros(g.to) }));
      }
      for (const j of p.obs.jumps) {
        const seconds = Math.round((j.to - j.from) / 1e6);
        out.push(synthetic(host, p.summary.path, j.line, j.to, 'host.clock_jump', `clock of ${host} stepped ${seconds} s at line ${j.line} of ${p.summary.path}`, { seconds }));
      }
    }
  }
  // The same gap seen by several inputs of a host counts once.
  const seen = new Set<string>();
  return out.filter((e) => {
    const k = `${e.host}\0${e.kind}\0${Math.round(e.ts / 60e6)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * The same line often reaches several files of one host: rotated files overlap at their boundaries,
 * and a kernel message is in dmesg, kern.log and syslog at once. It counts once: same host, kind and
 * message, and the same kernel monotonic stamp (to the ms) or, without one, the same second. The copy
 * with the best timestamp quality is kept as evidence.
 */
function dedupeAcrossFiles(events: LogEvent[]): LogEvent[] {
  const best = new Map<string, LogEvent>();
  const order: string[] = [];
  for (const e of events) {
    const when = e.mono !== undefined ? `m${Math.round(e.mono * 1000)}` : `t${Math.floor(e.ts / 1_000_000)}`;
    const key = `${e.host}\0${e.kind}\0${when}\0${e.msg}`;
    const prev = best.get(key);
    if (!prev) {
      best.set(key, e);
      order.push(key);
    } else if (TIME_QUALITY_ORDER.indexOf(e.quality) < TIME_QUALITY_ORDER.indexOf(prev.quality)) {
      best.set(key, e);
    }
  }
  return order.map((k) => best.get(k)!);
}
