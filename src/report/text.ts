import { createRequire } from 'node:module';
import type Picocolors from 'picocolors';
import type { Finding, FindingStep, InputSummary, NearMiss, Report } from '../model/report.js';
import type { Severity } from '../model/severity.js';
import {
  duration,
  entityValue,
  formatInZone,
  hostsOf,
  isUtcZone,
  oneLine,
  plural,
  severityCounts,
  sortFindings,
  totals,
  verdictOf,
  visibleControls,
  weakTime,
  where,
  zonedParts,
} from './common.js';

/** Options of {@link renderText}. */
export interface TextOptions {
  /** ANSI colours (default false). */
  color?: boolean;
  /** Terminal width every line must fit (default 100, at least 40). */
  width?: number;
  /** IANA zone shown beside UTC for hosts without an entry in `hostTz`. */
  displayTz?: string;
  /** Zone per host: steps show UTC and the host's local time. */
  hostTz?: Record<string, string>;
  /** First line of the report. */
  title?: string;
}

type Paint = (s: string) => string;
type Colors = ReturnType<typeof Picocolors.createColors>;

/** picocolors, loaded on the first text report (CommonJS). */
let pc: typeof Picocolors | undefined;
function colors(enabled: boolean): Colors {
  pc ??= createRequire(import.meta.url)('picocolors') as typeof Picocolors;
  return pc.createColors(enabled);
}

const WARNINGS_PER_INPUT = 3;

/**
 * The human report for a terminal: findings first (most severe first), each with a one-line verdict,
 * its chain as a timeline (UTC and local time, host, file:line, the evidence line), entities and
 * remediation; then a table of inputs and their warnings. Every line fits `width` columns.
 */
export function renderText(report: Report, options: TextOptions = {}): string {
  const c = colors(options.color ?? false);
  const width = Math.max(40, Math.floor(options.width ?? 100));
  const sev: Record<Severity, Paint> = {
    critical: (s) => c.bold(c.red(s)),
    high: c.red,
    medium: c.yellow,
    low: c.cyan,
    info: c.dim,
  };
  const out: string[] = [];
  const findings = sortFindings(report.findings);
  const t = totals(report);
  if (options.title) out.push(c.bold(fit(options.title, width)));
  const head =
    findings.length === 0
      ? 'No findings.'
      : `${plural(findings.length, 'finding')} (${severityCounts(findings)})`;
  out.push(c.bold(fit(head, width)));
  const hosts = hostsOf(report);
  const zones = [...new Set(hosts.map((h) => options.hostTz?.[h] ?? options.displayTz).filter((z): z is string => !isUtcZone(z)))];
  const about = `${plural(hosts.length, 'host')} (${hosts.join(', ')})${zones.length > 0 ? ` · local time: ${zones.join(', ')}` : ''}`;
  out.push(...wrap(visibleControls(about), width, '', '  ').map((l) => c.dim(l)));
  const ctx: Ctx = { c, width, displayTz: options.displayTz, hostTz: options.hostTz ?? {} };
  findings.forEach((f, i) => out.push('', ...renderFinding(f, i + 1, findings.length, sev[f.severity], ctx)));
  out.push(...renderNearMisses(report, ctx));
  out.push('', c.bold('Inputs'), ...renderInputs(report.inputs, ctx));
  out.push(
    '',
    fit(
      `${plural(t.read, 'input')} read, ${t.skipped} skipped; ${num(t.lines)} lines, ${num(t.unparsed)} not understood` +
        (t.warnings > 0 ? `; ${plural(t.warnings, 'warning')}.` : '.'),
      width,
    ),
  );
  return `${out.map((l) => fitAnsi(l, width)).join('\n')}\n`;
}

interface Ctx {
  c: Colors;
  width: number;
  displayTz?: string;
  hostTz: Record<string, string>;
}

function zoneFor(host: string, ctx: Ctx): string | undefined {
  const z = ctx.hostTz[host] ?? ctx.displayTz;
  return isUtcZone(z) ? undefined : z;
}

function renderFinding(f: Finding, n: number, total: number, paint: Paint, ctx: Ctx): string[] {
  const { c, width } = ctx;
  const label = f.severity.toUpperCase();
  const counter = total > 1 ? ` ${n}/${total}` : '';
  const lead = `${label}${counter}  `;
  const titleLines = wrap(visibleControls(f.title), width, lead, ' '.repeat(Math.min(lead.length, 12)));
  const lines: string[] = [
    `${paint(label)}${c.dim(counter)}  ${c.bold(titleLines[0].slice(lead.length))}`,
    ...titleLines.slice(1).map((l) => c.bold(l)),
    ...wrap(visibleControls(verdictOf(f)), width, '  verdict   ', '            ').map((l, i) => (i === 0 ? l.replace('verdict', c.bold('verdict')) : l)),
  ];
  const span = duration(f.start, f.end);
  const conf = f.confidence !== undefined && f.confidence < 1 ? ` · confidence ${Math.round(f.confidence * 100)}%` : '';
  const meta = `${f.rule} · ${f.hosts.join(', ')} · ${formatInZone(f.start, undefined)}${span && span !== '0ms' ? ` (+${span})` : ''}${conf}`;
  lines.push(...wrap(visibleControls(meta), width, '  rule      ', '            ').map((l) => c.dim(l)));

  // Timeline: one row per step, its evidence line below it.
  const locals = f.steps.map((s) => {
    const zone = zoneFor(s.host, ctx);
    return zone ? localTime(s, zone) : '';
  });
  const anyLocal = locals.some((l) => l !== '');
  const localW = Math.max(0, ...locals.map((l) => l.length));
  const hostW = Math.min(12, Math.max(4, ...f.steps.map((s) => s.host.length)));
  const nameW = Math.min(20, Math.max(4, ...f.steps.map((s) => s.name.length + (s.count && s.count > 1 ? ` ×${s.count}`.length : 0))));
  const numW = String(f.steps.length).length;
  lines.push(c.bold('  timeline') + c.dim(`  UTC${anyLocal ? ', host local time' : ''}, host, step, file:line, evidence`));
  let weak = false;
  f.steps.forEach((s, i) => {
    const utc = stepTime(s);
    const local = anyLocal ? `  ${locals[i].padEnd(localW)}` : '';
    if (weakTime(s)) weak = true;
    const mark = weakTime(s) ? '~' : ' ';
    const count = s.count && s.count > 1 ? ` ×${s.count}` : '';
    const prefix = `  ${String(i + 1).padStart(numW + 1)} ${mark}${utc}${local}  ${fit(s.host, hostW).padEnd(hostW)}  `;
    const indent = ' '.repeat(numW + 4);
    const narrow = width - prefix.length < nameW + 24;
    if (narrow) {
      // Not enough room for step and file:line on one row: file:line goes on its own line.
      const core = fit(s.name, Math.max(1, width - prefix.length - count.length));
      lines.push(`${c.cyan(prefix)}${c.bold(core)}${c.yellow(count)}`);
      lines.push(`${indent}${c.dim('│')} ${c.dim(fitLeft(where(s), width - indent.length - 2))}`);
    } else {
      const core = fit(s.name, nameW - count.length);
      const pad = ' '.repeat(Math.max(0, nameW - core.length - count.length));
      const loc = fitLeft(where(s), width - prefix.length - nameW - 2);
      lines.push(`${c.cyan(prefix)}${c.bold(core)}${c.yellow(count)}${pad}  ${c.dim(loc)}`);
    }
    lines.push(...evidence(visibleControls(s.text), indent, width, c));
  });
  if (weak) lines.push(c.dim(fit('  ~ time estimated from the kernel clock or a neighbouring line', width)));

  const ents = Object.entries(f.entities);
  if (ents.length > 0) {
    lines.push(c.bold('  entities'));
    const keyW = Math.min(16, Math.max(...ents.map(([k]) => k.length)));
    for (const [k, v] of ents) {
      const key = `    ${fit(k, keyW).padEnd(keyW)}  `;
      lines.push(...wrap(visibleControls(entityValue(v)), width, key, ' '.repeat(key.length)));
    }
  }
  if (f.remediation.length > 0) {
    lines.push(c.bold('  remediation'));
    f.remediation.forEach((r, i) => {
      const bullet = `    ${i + 1}. `;
      lines.push(...wrap(visibleControls(r), width, bullet, ' '.repeat(bullet.length)));
    });
  }
  return lines;
}

const EVIDENCE_LINES = 2;

/** The raw line under a step, wrapped to at most {@link EVIDENCE_LINES} lines, then trimmed. */
function evidence(text: string, indent: string, width: number, c: Colors): string[] {
  const bar = `${indent}│ `;
  const wrapped = wrap(text, width, bar, bar);
  const shown = wrapped.slice(0, EVIDENCE_LINES);
  if (wrapped.length > EVIDENCE_LINES) {
    const rest = wrapped.slice(EVIDENCE_LINES - 1).map((l) => l.slice(bar.length)).join(' ');
    shown[EVIDENCE_LINES - 1] = bar + fit(rest, width - bar.length);
  }
  return shown.map((l) => `${indent}${c.dim('│')} ${l.slice(bar.length)}`);
}

/** `05-28 10:21:04.512Z`. */
function stepTime(s: FindingStep): string {
  const p = zonedParts(s.time);
  if (!p) return s.time.slice(0, 19).padEnd(19);
  return `${p.date.slice(5)} ${p.time}.${p.ms}Z`;
}

/** `20:21:04+10`, with the local date (`05-29 00:05:00+10`) only when it is not the UTC date. */
function localTime(s: FindingStep, zone: string): string {
  const p = zonedParts(s.time, zone);
  const u = zonedParts(s.time);
  if (!p || !u) return '';
  return `${p.date === u.date ? '' : `${p.date.slice(5)} `}${p.time}${p.offset}`;
}

function renderInputs(inputs: readonly InputSummary[], ctx: Ctx): string[] {
  const { c, width } = ctx;
  if (inputs.length === 0) return ['  (none)'];
  const cols = {
    format: Math.min(14, Math.max(6, ...inputs.map((i) => fmt(i).length))),
    host: Math.min(12, Math.max(4, ...inputs.map((i) => i.host.length))),
    lines: Math.max(5, ...inputs.map((i) => num(i.lines).length)),
    unp: 8,
    span: 26,
    warn: 4,
  };
  let fixed = 2 + cols.format + cols.host + cols.lines + cols.unp + cols.span + cols.warn + 2 * 6;
  // On narrow terminals the span goes first: path, counts and warnings matter more.
  if (width - fixed < 16) {
    fixed -= cols.span + 2;
    cols.span = 0;
  }
  const pathW = Math.max(12, width - fixed);
  const row = (p: string, f: string, h: string, l: string, u: string, s: string, w: string, hot: Paint = (x) => x): string =>
    `  ${p.padEnd(pathW)}  ${f.padEnd(cols.format)}  ${h.padEnd(cols.host)}  ${l.padStart(cols.lines)}  ${hot(u.padStart(cols.unp))}${cols.span ? `  ${s.padEnd(cols.span)}` : ''}  ${hot(w.padStart(cols.warn))}`.trimEnd();
  const lines = [c.dim(row('path', 'format', 'host', 'lines', 'not und.', 'span (UTC)', 'warn'))];
  for (const i of inputs) {
    const warn = i.warnings.length + (i.warningsDropped ?? 0);
    const path = fitLeft(visibleControls(i.path), pathW);
    const host = fit(visibleControls(i.host), cols.host);
    if (i.format === 'skipped') {
      const why = fit(`skipped: ${oneLine(i.skipped ?? '')}`, cols.unp + cols.span + cols.warn + 4);
      const line = `  ${path.padEnd(pathW)}  ${'skipped'.padEnd(cols.format)}  ${host.padEnd(cols.host)}  ${num(i.lines).padStart(cols.lines)}  ${why}`;
      lines.push(c.dim(fit(line, width)));
      continue;
    }
    const unp = num(i.unparsed);
    const hot: Paint = i.unparsed > 0 || warn > 0 ? c.yellow : (x) => x;
    lines.push(row(path, fit(fmt(i), cols.format), host, num(i.lines), unp, span(i), warn > 0 ? String(warn) : '', hot));
  }
  const withWarnings = inputs.filter((i) => i.warnings.length > 0 && i.format !== 'skipped');
  if (withWarnings.length > 0) {
    lines.push('', c.bold('Warnings'));
    for (const i of withWarnings) {
      for (const w of i.warnings.slice(0, WARNINGS_PER_INPUT)) {
        lines.push(fit(`  ${fitLeft(visibleControls(i.path), 40)}:${w.line}  ${visibleControls(oneLine(w.message))}`, width));
      }
      const more = i.warnings.length - WARNINGS_PER_INPUT + (i.warningsDropped ?? 0);
      if (more > 0) lines.push(c.dim(fit(`  ${fitLeft(visibleControls(i.path), 40)}: ${plural(more, 'more warning')}`, width)));
    }
  }
  return lines;
}

function fmt(i: InputSummary): string {
  return i.format + (i.compression === 'gzip' ? '+gz' : '');
}

function num(n: number): string {
  return n.toLocaleString('en-US');
}

/** `05-28 10:10:03 → 10:30:22` on one date, else `05-28 10:10 → 05-29 02:15`. */
function span(i: InputSummary): string {
  if (!i.first || !i.last) return 'no times';
  const a = zonedParts(i.first);
  const b = zonedParts(i.last);
  if (!a || !b) return 'no times';
  if (a.date === b.date) return `${a.date.slice(5)} ${a.time} → ${b.time}`;
  if (a.date.slice(0, 4) === b.date.slice(0, 4)) return `${a.date.slice(5)} ${a.time.slice(0, 5)} → ${b.date.slice(5)} ${b.time.slice(0, 5)}`;
  return `${a.date} → ${b.date}`;
}

// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;]*m/y;

/**
 * Last guard for narrow terminals: cuts a line to `width` visible columns, keeping colour codes whole
 * and resetting them after the cut.
 */
function fitAnsi(line: string, width: number): string {
  if (line.length <= width) return line;
  let visible = 0;
  let out = '';
  let coloured = false;
  for (let i = 0; i < line.length; ) {
    SGR.lastIndex = i;
    const m = SGR.exec(line);
    if (m) {
      out += m[0];
      coloured = true;
      i += m[0].length;
      continue;
    }
    if (visible === width - 1 && hasVisibleAfter(line, i + 1)) return `${out}…${coloured ? '\x1b[0m' : ''}`;
    out += line[i];
    visible++;
    i++;
  }
  return out;
}

function hasVisibleAfter(line: string, from: number): boolean {
  for (let i = from; i < line.length; ) {
    SGR.lastIndex = i;
    const m = SGR.exec(line);
    if (!m) return true;
    i += m[0].length;
  }
  return false;
}

/** Trims to `max` columns with a trailing ellipsis. */
function fit(s: string, max: number): string {
  if (max <= 0) return '';
  return s.length <= max ? s : `${s.slice(0, Math.max(0, max - 1))}…`;
}

/** Trims to `max` columns keeping the end (file names and line numbers matter most). */
function fitLeft(s: string, max: number): string {
  if (max <= 0) return '';
  return s.length <= max ? s : `…${s.slice(s.length - max + 1)}`;
}

/** Word-wraps `text` so that every line, with its prefix, fits `width`. Words longer than a line are cut. */
function wrap(text: string, width: number, first: string, rest: string): string[] {
  const out: string[] = [];
  let prefix = first;
  let line = '';
  for (let w of oneLine(text).split(' ')) {
    if (!w) continue;
    if (line && prefix.length + line.length + 1 + w.length > width) {
      out.push(prefix + line);
      prefix = rest;
      line = '';
    }
    while (!line && prefix.length + w.length > width) {
      const room = Math.max(1, width - prefix.length);
      out.push(prefix + w.slice(0, room));
      prefix = rest;
      w = w.slice(room);
    }
    if (w) line += (line ? ' ' : '') + w;
  }
  if (line || out.length === 0) out.push(prefix + line);
  return out;
}

const NEAR_REASON: Record<NearMiss['reason'], string> = {
  'not-found': 'not found in its window',
  'not-covered': 'undecidable: the logs do not cover its window',
  present: 'present, where the rule needs it absent',
};

/** Near misses (only in reports made with `--near-misses`): the step an investigator looks for next. */
function renderNearMisses(report: Report, ctx: Ctx): string[] {
  const near = report.nearMisses;
  if (!near || near.length === 0) return [];
  const out = ['', ctx.c.bold(`Near misses (${near.length})`)];
  for (const n of near.slice(0, 20)) {
    const first = n.steps[0];
    const where = first ? ` from ${first.file}:${first.line} at ${first.time.slice(0, 19)}Z` : '';
    out.push(...wrap(visibleControls(`${n.rule} on ${n.hosts.join(', ')}: ${n.matched} of ${n.of} steps${where}; step "${n.missing}" ${NEAR_REASON[n.reason]}`), ctx.width, '  ', '    '));
  }
  if (near.length > 20) out.push(`  … ${near.length - 20} more (see --json)`);
  return out;
}
