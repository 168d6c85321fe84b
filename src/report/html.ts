import type { Finding, Report } from '../model/report.js';
import { microsFromIso } from '../model/time.js';
import type { Severity } from '../model/severity.js';
import {
  duration,
  formatInZone,
  hostsOf,
  isUtcZone,
  oneLine,
  plural,
  severityCounts,
  sortFindings,
  timelineOf,
  totals,
  verdictOf,
  weakTime,
  where,
} from './common.js';
import { CLIENT_CSS, CLIENT_JS } from './html-client.js';

/** Options of {@link renderHtml}. */
export interface HtmlOptions {
  /** IANA zone of the times shown (default UTC). */
  displayTz?: string;
  title?: string;
  /** Most `report.timeline` entries drawn (finding steps are always drawn); default 5000. */
  maxTimeline?: number;
}

/** One mark on the swimlane chart, as sent to the page script. */
interface PageEvent {
  t: number;
  host: string;
  sev: Severity | 'none';
  name: string;
  kind: string;
  count: number;
  text: string;
  where: string;
  utc: string;
  local: string;
  weak: boolean;
  findings: number[];
}

/**
 * One self-contained HTML page (inline CSS and script, no network, no external fonts): a swimlane
 * timeline with one lane per host, finding steps and `report.timeline` entries as marks coloured by
 * severity, chains drawn as linked marks, zoom (wheel, buttons) and pan (drag), a detail panel showing
 * the raw line of a clicked mark, and a findings list that highlights a chain. All text is escaped.
 */
export function renderHtml(report: Report, options: HtmlOptions = {}): string {
  const zone = isUtcZone(options.displayTz) ? undefined : options.displayTz;
  const findings = sortFindings(report.findings);
  const timeline = timelineOf(report);
  const t = totals(report);
  const events: PageEvent[] = [];
  const byLine = new Map<string, number>();
  const page = { findings: [] as Array<{ title: string; sev: Severity; steps: number[] }> };

  findings.forEach((f, fi) => {
    const ids: number[] = [];
    for (const s of f.steps) {
      const key = `${s.host}\0${s.file}:${s.line}`;
      let id = byLine.get(key);
      if (id === undefined) {
        id = events.length;
        byLine.set(key, id);
        events.push({
          t: finiteOr(microsFromIso(s.time), microsFromIso(f.start), 0) / 1000,
          host: s.host,
          sev: f.severity,
          name: s.name,
          kind: s.event,
          count: s.count ?? 1,
          text: s.text,
          where: where(s),
          utc: formatInZone(s.time, undefined, true),
          local: formatInZone(s.time, zone, true),
          weak: weakTime(s),
          findings: [],
        });
      }
      if (!events[id].findings.includes(fi)) events[id].findings.push(fi);
      ids.push(id);
    }
    page.findings.push({ title: f.title, sev: f.severity, steps: ids });
  });
  const max = options.maxTimeline ?? 5000;
  const extra = timeline.filter((e) => !byLine.has(`${e.host}\0${e.file}:${e.line}`));
  const shown = extra.length > max ? pickTimeline(extra, max) : extra;
  for (const e of shown) {
    events.push({
      t: microsFromIso(e.time) / 1000,
      host: e.host,
      sev: e.severity ?? 'none',
      name: '',
      kind: e.kind ?? '',
      count: 1,
      text: e.text,
      where: where(e),
      utc: formatInZone(e.time, undefined, true),
      local: formatInZone(e.time, zone, true),
      weak: false,
      findings: [],
    });
  }
  const hosts = [...new Set(events.map((e) => e.host))].sort();
  const allHosts = hostsOf(report, timeline);
  const zoneLabel = zone ?? 'UTC';
  const data = { zone: zone ?? 'UTC', zoneLabel, hosts, events, findings: page.findings };
  const title = options.title ?? 'forensics report';

  const h: string[] = [];
  h.push(
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // No request may leave the page: everything is inline, and the policy forbids the rest.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; connect-src 'none'; font-src 'none'; form-action 'none'; base-uri 'none'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${CLIENT_CSS}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${esc(title)}</h1>`,
    `<div class="sub">${esc(
      findings.length === 0 ? 'No findings' : `${plural(findings.length, 'finding')} (${severityCounts(findings)})`,
    )} · ${esc(plural(allHosts.length, 'host'))} · ${esc(`${plural(t.read, 'input')} read, ${t.skipped} skipped, ${t.lines.toLocaleString('en-US')} lines, ${t.unparsed.toLocaleString('en-US')} not understood`)} · times in ${esc(zoneLabel)}${
      report.meta ? ` · ${esc(`${report.meta.tool} ${report.meta.version}, ${formatInZone(report.meta.generatedAt, zone)}`)}` : ''
    }</div>`,
    '</header>',
    '<main>',
    '<section class="chart">',
    '<div class="toolbar">',
    '<button type="button" id="zoom-in" title="Zoom in">+</button>',
    '<button type="button" id="zoom-out" title="Zoom out">&minus;</button>',
    '<button type="button" id="zoom-fit" title="Show everything">Fit</button>',
    '<span class="legend">',
    ...(['critical', 'high', 'medium', 'low', 'info'] as const).map((s) => `<span><i class="sev-${s}"></i>${s}</span>`),
    '<span><i class="sev-none"></i>other event</span>',
    '</span>',
    `<span class="hint">wheel: zoom · drag: pan · click a mark: its line${
      shown.length < extra.length ? esc(` · ${extra.length - shown.length} timeline events not drawn`) : ''
    }</span>`,
    '</div>',
    `<svg id="chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${esc(`timeline, one lane per host: ${hosts.join(', ')}`)}"></svg>`,
    '</section>',
    '<aside>',
    '<h2>Findings</h2>',
    '<ul id="findings">',
    ...findings.map((f, i) => findingItem(f, i, zone)),
    '</ul>',
    findings.length === 0 ? '<p style="padding:0 10px">No causal chain was found.</p>' : '',
    '</aside>',
    '<section id="detail" aria-live="polite"><p class="empty">Click a mark to see its line, time and file:line.</p></section>',
    '<section class="inputs">',
    '<h2>Inputs analysed</h2>',
    inputsTable(report, zone),
    '</section>',
    '</main>',
    `<script type="application/json" id="forensics-data">${jsonForScript(data)}</script>`,
    `<script>${CLIENT_JS}</script>`,
    '</body>',
    '</html>',
  );
  return `${h.filter((l) => l !== '').join('\n')}\n`;
}

function findingItem(f: Finding, i: number, zone: string | undefined): string {
  const span = duration(f.start, f.end);
  return [
    `<li data-finding="${i}" tabindex="0" role="button">`,
    `<span class="badge sev-${f.severity}">${esc(f.severity)}</span>`,
    `<div class="title">${esc(f.title)}</div>`,
    `<div class="meta">${esc(`${f.hosts.join(', ')} · ${formatInZone(f.start, zone)}${span ? ` · ${span}` : ''} · ${plural(f.steps.length, 'step')}`)}</div>`,
    `<div class="verdict">${esc(verdictOf(f))}</div>`,
    '</li>',
  ].join('');
}

function inputsTable(report: Report, zone: string | undefined): string {
  const rows = report.inputs.map((i) => {
    const warn = i.warnings.length + (i.warningsDropped ?? 0);
    const fmt = i.format === 'skipped' ? `skipped: ${i.skipped ?? ''}` : i.format + (i.compression === 'gzip' ? ' (gzip)' : '');
    const span = i.first && i.last ? `${formatInZone(i.first, zone)} → ${formatInZone(i.last, zone)}` : '–';
    const warnTitle = i.warnings.slice(0, 20).map((w) => `${w.line}: ${oneLine(w.message)}`).join('\n');
    return `<tr><td><code>${esc(i.path)}</code></td><td>${esc(fmt)}</td><td>${esc(i.host)}</td><td class="num">${i.lines.toLocaleString('en-US')}</td><td class="num${i.unparsed ? ' warn' : ''}">${i.unparsed.toLocaleString('en-US')}</td><td>${esc(span)}</td><td class="num${warn ? ' warn' : ''}" title="${esc(warnTitle)}">${warn || ''}</td></tr>`;
  });
  return `<table><thead><tr><th>Path</th><th>Format</th><th>Host</th><th class="num">Lines</th><th class="num">Not understood</th><th>Span</th><th class="num">Warnings</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Keeps the most severe entries, then the earliest, up to `max`; returned in time order. */
function pickTimeline<T extends { time: string; severity?: Severity }>(entries: T[], max: number): T[] {
  const rank = (s?: Severity): number => (s ? ['critical', 'high', 'medium', 'low', 'info'].indexOf(s) : 5);
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => rank(a.e.severity) - rank(b.e.severity) || a.i - b.i)
    .slice(0, max)
    .sort((a, b) => a.i - b.i)
    .map((x) => x.e);
}

function finiteOr(...values: number[]): number {
  return values.find((v) => Number.isFinite(v)) ?? 0;
}

/** HTML text and attribute escaping. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/** JSON that cannot close its `<script>` element nor break as JavaScript. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
