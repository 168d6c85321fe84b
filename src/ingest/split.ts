import { closeSync, openSync, readSync } from 'node:fs';
import type { InputSummary } from '../model/report.js';
import type { FormatParser } from '../parsers/types.js';
import type { ReadResult } from './parallel.js';
import { joinBootRuns, type BootRun } from '../time/boot-anchors.js';
import { CLOCK_JUMP_US, countInterval, DEFAULT_GAP_US, MAX_WARNINGS_PER_INPUT } from './read-input.js';

/**
 * One large plain file read as byte ranges on several threads, merged as if read whole: line numbers
 * and offsets continue across ranges, a silence or a clock jump at a cut is found at the merge, and
 * the gap statistics are summed before gaps are judged. Only for formats of independent single lines
 * (the fast formats), and only where the cut points' times run forward: a file crossing New Year (its
 * year is counted from the first line), a goroutine dump cut in two, or a boot segment whose estimate
 * fell across a cut (see joinBootRuns) is read whole instead.
 */

/** `[start, end)` in bytes. */
export interface ByteRange {
  start: number;
  end: number;
}

/** How far past a nominal cut a timed line is looked for. */
const PROBE_BYTES = 64 * 1024;
/** Cut points whose times go back more than this (a year rollover) make the file be read whole. */
const MAX_BACKWARDS_US = 30 * 86_400 * 1e6;

/** What cutting needs to know of the file. */
export interface SplitInput {
  abs: string;
  size: number;
  eol: number;
  parser: FormatParser;
  rel: string;
  host: string | undefined;
  year: number;
  tz: string;
}

/**
 * Ranges of about `size / parts` bytes, each starting at a line with a wall time, or null when the
 * file should be read whole (too small, no timed line near a cut, times going back across cuts).
 */
export function planRanges(input: SplitInput, parts: number): ByteRange[] | null {
  if (parts < 2) return null;
  const fd = openSync(input.abs, 'r');
  try {
    const buf = Buffer.alloc(PROBE_BYTES);
    const starts: number[] = [];
    const times: number[] = [];
    for (let k = 0; k < parts; k++) {
      const nominal = k === 0 ? 0 : Math.floor((k * input.size) / parts);
      const at = timedLineAt(fd, buf, nominal, input);
      if (!at || (starts.length > 0 && at.start <= starts[starts.length - 1])) return null;
      if (times.length > 0 && at.ts < times[times.length - 1] - MAX_BACKWARDS_US) return null;
      // The first range starts at byte 0 whatever its first timed line.
      starts.push(k === 0 ? 0 : at.start);
      times.push(at.ts);
    }
    return starts.map((start, k) => ({ start, end: k + 1 < starts.length ? starts[k + 1] : input.size }));
  } finally {
    closeSync(fd);
  }
}

/** The first line starting at or after `from` whose parse gives a wall time, within PROBE_BYTES. */
function timedLineAt(fd: number, buf: Buffer, from: number, input: SplitInput): { start: number; ts: number } | null {
  // Read from one byte before, so a line starting exactly at `from` is seen as one.
  const base = Math.max(0, from - 1);
  const n = readSync(fd, buf, 0, buf.length, base);
  let p = from === 0 ? 0 : buf.indexOf(input.eol, 0) + 1;
  if (from !== 0 && p === 0) return null;
  while (p < n) {
    const le = buf.indexOf(input.eol, p);
    if (le === -1 || le >= n) return null;
    let ts = NaN;
    const parser = input.parser.create({ file: input.rel, host: input.host, year: input.year, tz: input.tz, warn: () => {} }, (e) => (ts = e.ts));
    parser.line(buf.toString('utf8', p, le > p && buf[le - 1] === 0x0d ? le - 1 : le), 0, 0);
    parser.end();
    if (Number.isFinite(ts)) return { start: base + p, ts };
    p = le + 1;
  }
  return null;
}

/**
 * One result for the whole file from the results of its ranges (in order), or null when the file is
 * to be read whole: a goroutine dump was open at a cut (its lines in the next range were read as plain
 * lines), or a boot segment runs across a cut in a way one pass could have split otherwise.
 */
export function mergeRanges(parts: readonly ReadResult[], ranges: readonly ByteRange[], gapUs = DEFAULT_GAP_US): ReadResult | null {
  if (parts.slice(0, -1).some((p) => p.obs.dumpOpen)) return null;
  const first = parts[0];
  const summary: InputSummary = { ...first.summary, lines: 0, unparsed: 0, warnings: [], bytes: 0 };
  delete summary.warningsDropped;
  const obs: ReadResult['obs'] = {
    spans: [],
    gaps: [],
    intervals: new Uint32Array(first.obs.intervals.length),
    timedLines: null,
    dumpOpen: parts[parts.length - 1].obs.dumpOpen,
    mono: null,
    jumps: [],
    hosts: new Map(),
    yearShift: 0,
  };
  const out: ReadResult = { summary, obs, kept: [], boots: [], years: new Map() };
  const openBoots = new Map<string, BootRun>();
  let dropped = 0;
  let linesBefore = 0;
  let lastTs = NaN;
  let lastLine = 0;
  for (let k = 0; k < parts.length; k++) {
    const { summary: s, obs: o, kept, boots, years } = parts[k];
    const shiftLine = (line: number): number => (line > 0 ? line + linesBefore : line);
    summary.lines += s.lines;
    summary.unparsed += s.unparsed;
    summary.bytes = (summary.bytes ?? 0) + (s.bytes ?? 0);
    dropped += s.warningsDropped ?? 0;
    for (const w of s.warnings) {
      if (summary.warnings.length < MAX_WARNINGS_PER_INPUT) summary.warnings.push({ ...w, line: shiftLine(w.line) });
      else dropped++;
    }
    // The times of the first and last timed lines, as one pass gives them.
    if (s.first !== null && summary.first === null) summary.first = s.first;
    if (s.last !== null) summary.last = s.last;

    for (const e of kept) {
      e.line = shiftLine(e.line);
      e.offset += ranges[k].start;
    }
    for (const e of kept) out.kept.push(e);
    // A boot segment running across the cut whose later lines one pass could have judged otherwise: read whole.
    if (joinBootRuns(out.boots, openBoots, boots) === 'diverges') return null;
    for (const [h, y] of years) if (y > (out.years.get(h) ?? 0)) out.years.set(h, y);
    for (const [h, n] of o.hosts) obs.hosts.set(h, (obs.hosts.get(h) ?? 0) + n);
    if (o.mono) obs.mono = obs.mono ? { min: Math.min(obs.mono.min, o.mono.min), max: Math.max(obs.mono.max, o.mono.max) } : { ...o.mono };
    obs.yearShift += o.yearShift;
    for (let i = 0; i < o.intervals.length; i++) obs.intervals[i] += o.intervals[i];
    for (const g of o.gaps) obs.gaps.push({ ...g, line: shiftLine(g.line) });
    for (const j of o.jumps) obs.jumps.push({ ...j, line: shiftLine(j.line) });

    // The cut: what the reading of the whole file would have seen between the two lines.
    const spans = o.spans.map(([a, b]): [number, number] => [a, b]);
    if (spans.length > 0 && o.timedLines) {
      const ts = spans[0][0];
      const line = shiftLine(o.timedLines[0]);
      if (Number.isFinite(lastTs)) {
        if (ts < lastTs - CLOCK_JUMP_US) {
          obs.jumps.push({ line, from: lastTs, to: ts });
        } else {
          if (ts > lastTs + gapUs) obs.gaps.push({ line, from: lastTs, to: ts });
          if (ts >= lastTs) countInterval(obs.intervals, ts - lastTs, Math.max(1, line - lastLine));
          // One covered span runs on across the cut.
          const prevSpan = obs.spans.pop()!;
          spans[0] = [prevSpan[0], spans[0][1]];
        }
      }
      obs.spans.push(...spans);
      lastTs = spans[spans.length - 1][1];
      lastLine = shiftLine(o.timedLines[1]);
      obs.timedLines = obs.timedLines ? [obs.timedLines[0], lastLine] : [line, lastLine];
    }
    linesBefore += s.lines;
  }
  obs.jumps.sort((a, b) => a.line - b.line);
  obs.gaps.sort((a, b) => a.line - b.line);
  if (dropped > 0) summary.warningsDropped = dropped;
  // The summary's host: the most frequent over the whole file.
  let best = 0;
  for (const [h, n] of obs.hosts) if (n > best) [summary.host, best] = [h, n];
  return out;
}
