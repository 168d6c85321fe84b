import pc from 'picocolors';
import type { Finding, InputSummary, Report } from '../model/report.js';
import type { Severity } from '../model/severity.js';

export interface TextOptions {
  color?: boolean;
  /** Terminal width the output must fit (default 100). */
  width?: number;
}

type Paint = (s: string) => string;

/**
 * The human report: findings first (most severe first), each as a short timeline of its steps with
 * host, time and file:line; then one line per input.
 */
export function renderText(report: Report, options: TextOptions = {}): string {
  const c = pc.createColors(options.color ?? false);
  const width = options.width ?? 100;
  const sev: Record<Severity, Paint> = {
    critical: (s) => c.bold(c.red(s)),
    high: c.red,
    medium: c.yellow,
    low: c.cyan,
    info: c.dim,
  };
  const out: string[] = [];
  const findings = report.findings;
  out.push(c.bold(findings.length === 0 ? 'No findings.' : `${findings.length} finding${findings.length === 1 ? '' : 's'}`));
  for (const f of findings) out.push('', ...renderFinding(f, sev[f.severity], c, width));
  out.push('', c.bold('Inputs'));
  for (const i of report.inputs) out.push(renderInput(i, c, width));
  const lines = report.inputs.reduce((a, i) => a + i.lines, 0);
  const unparsed = report.inputs.reduce((a, i) => a + i.unparsed, 0);
  const skipped = report.inputs.filter((i) => i.format === 'skipped').length;
  out.push(
    '',
    `${report.inputs.length - skipped} inputs read, ${skipped} skipped; ${lines} lines, ${unparsed} not understood.`,
  );
  return `${out.join('\n')}\n`;
}

function renderFinding(f: Finding, paint: Paint, c: ReturnType<typeof pc.createColors>, width: number): string[] {
  const head = `${paint(f.severity.toUpperCase().padEnd(8))} ${c.bold(f.title)}`;
  const lines = [head, c.dim(`  ${f.rule} · ${f.hosts.join(', ')} · ${f.start} → ${f.end}${f.confidence !== undefined && f.confidence < 1 ? ` · confidence ${f.confidence}` : ''}`)];
  for (const s of f.steps) {
    const where = `${s.file}:${s.line}`;
    const time = s.time.slice(11, 23);
    const prefix = `  ${time}  ${s.host.padEnd(8)} ${s.name.padEnd(9)} `;
    lines.push(`${c.cyan(prefix)}${c.dim(where)}${s.count && s.count > 1 ? c.yellow(` ×${s.count}`) : ''}`);
    lines.push(`      ${trim(s.text, width - 6)}`);
  }
  const ents = Object.entries(f.entities);
  if (ents.length > 0) lines.push(`  ${c.bold('entities')} ${ents.map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join('  ')}`);
  return lines;
}

function renderInput(i: InputSummary, c: ReturnType<typeof pc.createColors>, width: number): string {
  if (i.format === 'skipped') return trim(`  ${i.path}  ${c.dim(`skipped: ${i.skipped ?? ''}`)}`, width + 20);
  const span = i.first && i.last ? `${i.first.slice(0, 19)}Z → ${i.last.slice(0, 19)}Z` : 'no times';
  const warn = i.warnings.length + (i.warningsDropped ?? 0);
  const parts = [
    `  ${i.path}`,
    i.format + (i.compression === 'gzip' ? '+gz' : ''),
    i.host,
    `${i.lines} lines`,
    i.unparsed > 0 ? c.yellow(`${i.unparsed} not understood`) : '0 not understood',
    span,
  ];
  if (warn > 0) parts.push(c.yellow(`${warn} warning${warn === 1 ? '' : 's'}`));
  return parts.join('  ');
}

function trim(s: string, max: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, Math.max(0, max - 1))}…`;
}
