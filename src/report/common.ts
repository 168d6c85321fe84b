import type { Finding, FindingStep, Report } from '../model/report.js';
import { isSeverity, severityRank, type Severity } from '../model/severity.js';
import { microsFromIso } from '../model/time.js';

/**
 * One extra event on the report's optional `timeline` (schema: `timeline`, an array). Not part of the
 * `Report` type; renderers read it defensively and ignore malformed entries.
 */
export type { TimelineEntry } from '../model/report.js';
import type { TimelineEntry } from '../model/report.js';

/** Findings most severe first; ties by start time, then rule id (stable across runs). */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      (a.start < b.start ? -1 : a.start > b.start ? 1 : 0) ||
      (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
  );
}

/** The well-formed entries of `report.timeline`, in time order. */
export function timelineOf(report: Report): TimelineEntry[] {
  // Reports may come from JSON files: every entry is checked.
  const raw: unknown = report.timeline;
  if (!Array.isArray(raw)) return [];
  const out: TimelineEntry[] = [];
  for (const e of raw as unknown[]) {
    if (typeof e !== 'object' || e === null) continue;
    const r = e as Record<string, unknown>;
    if (typeof r.time !== 'string' || Number.isNaN(microsFromIso(r.time))) continue;
    out.push({
      time: r.time,
      host: typeof r.host === 'string' ? r.host : 'unknown',
      file: typeof r.file === 'string' ? r.file : '',
      line: typeof r.line === 'number' && Number.isFinite(r.line) ? r.line : 0,
      text: typeof r.text === 'string' ? r.text : '',
      kind: typeof r.kind === 'string' ? r.kind : undefined,
      severity: typeof r.severity === 'string' && isSeverity(r.severity) ? r.severity : undefined,
    });
  }
  return out.sort((a, b) => microsFromIso(a.time) - microsFromIso(b.time));
}

/** Wall-clock parts of an instant in one zone. */
export interface ZonedParts {
  date: string; // YYYY-MM-DD
  time: string; // HH:MM:SS
  ms: string; // mmm
  /** Offset from UTC as `+10`, `+05:30`, `-03`, or `Z` for UTC. */
  offset: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when `zone` is an IANA zone this runtime knows. */
export function isValidZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** True for zones that are plain UTC (no local column is needed). */
export function isUtcZone(zone: string | undefined): boolean {
  return !zone || /^(utc|etc\/utc|etc\/gmt|gmt|z|etc\/zulu|zulu|universal|etc\/universal)$/i.test(zone);
}

/**
 * Splits an ISO instant into wall-clock parts in `zone` (UTC when absent or unknown).
 * Returns null when `iso` is not an instant.
 */
export function zonedParts(iso: string, zone?: string): ZonedParts | null {
  const us = microsFromIso(iso);
  if (Number.isNaN(us)) return null;
  const ms = Math.floor(us / 1000);
  const msPart = String(((ms % 1000) + 1000) % 1000).padStart(3, '0');
  if (isUtcZone(zone) || !isValidZone(zone!)) {
    const s = new Date(ms).toISOString();
    return { date: s.slice(0, 10), time: s.slice(11, 19), ms: msPart, offset: 'Z' };
  }
  const parts = formatterFor(zone!).formatToParts(new Date(ms));
  const get = (t: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === t)?.value ?? '';
  const name = get('timeZoneName'); // "GMT+10:00", "GMT-03:30", "GMT"
  let offset = name.replace(/^GMT/, '') || 'Z';
  if (offset !== 'Z') offset = offset.replace(/:00$/, '');
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}:${get('second')}`, ms: msPart, offset };
}

/** `2026-05-28 20:21:04 +10` (or `... Z` in UTC); `withMs` adds `.mmm`. Falls back to the input. */
export function formatInZone(iso: string, zone?: string, withMs = false): string {
  const p = zonedParts(iso, zone);
  if (!p) return iso;
  return `${p.date} ${p.time}${withMs ? `.${p.ms}` : ''} ${p.offset === 'Z' ? 'UTC' : p.offset}`;
}

/** Human duration between two ISO instants: `850ms`, `42s`, `7m07s`, `5h20m`, `2d03h`. */
export function duration(startIso: string, endIso: string): string {
  const d = (microsFromIso(endIso) - microsFromIso(startIso)) / 1000;
  if (!Number.isFinite(d) || d < 0) return '';
  if (d < 1000) return `${Math.round(d)}ms`;
  const s = Math.floor(d / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
}

/** First sentence of an explanation, for one-line verdicts. */
export function verdictOf(f: Finding): string {
  const text = oneLine(f.explanation);
  if (!text) return f.title;
  const m = /^(.+?[.!?])(\s|$)/.exec(text);
  return m ? m[1] : text;
}

/** Collapses whitespace (tabs, CR, newlines) to single spaces. */
export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * Replaces C0/C1 control characters (ESC, BEL, ...) with caret notation so that a log line cannot
 * drive the terminal (colour, cursor, title) when printed.
 */
export function visibleControls(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x20 ? `^${String.fromCharCode(code + 64)}` : code === 0x7f ? '^?' : `\\x${code.toString(16)}`;
  });
}

/** Entity value as text. */
export function entityValue(v: string | number | boolean | string[] | number[]): string {
  return Array.isArray(v) ? v.join(', ') : String(v);
}

/** Where a step comes from: `file:line`. */
export function where(s: { file: string; line: number }): string {
  return s.line > 0 ? `${s.file}:${s.line}` : s.file;
}

/** Times of low trust get a marker in human output. */
export function weakTime(s: Pick<FindingStep, 'quality'>): boolean {
  return s.quality === 'boot-anchored' || s.quality === 'relative' || s.quality === 'none';
}

/** Totals across inputs. */
export function totals(report: Report): { lines: number; unparsed: number; read: number; skipped: number; warnings: number } {
  let lines = 0;
  let unparsed = 0;
  let skipped = 0;
  let warnings = 0;
  for (const i of report.inputs) {
    lines += i.lines;
    unparsed += i.unparsed;
    warnings += i.warnings.length + (i.warningsDropped ?? 0);
    if (i.format === 'skipped') skipped++;
  }
  return { lines, unparsed, read: report.inputs.length - skipped, skipped, warnings };
}

/** Counts per severity, most severe first, only non-zero: `1 critical, 2 high`. */
export function severityCounts(findings: readonly Finding[]): string {
  const counts = new Map<Severity, number>();
  for (const f of findings) counts.set(f.severity, (counts.get(f.severity) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => severityRank(a[0]) - severityRank(b[0]))
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
}

/** Distinct hosts of the report (inputs, findings, timeline), sorted. */
export function hostsOf(report: Report, timeline: readonly TimelineEntry[] = timelineOf(report)): string[] {
  const set = new Set<string>();
  for (const f of report.findings) for (const s of f.steps) set.add(s.host);
  for (const e of timeline) set.add(e.host);
  for (const i of report.inputs) if (i.format !== 'skipped') set.add(i.host);
  return [...set].sort();
}

/** `n thing` / `n things`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
