import { ForensicsError } from '../model/errors.js';
import type { Finding, Report } from '../model/report.js';
import { severityRank, type Severity } from '../model/severity.js';
import { microsFromIso } from '../model/time.js';
import { timelineOf } from './common.js';

/** What `--since/--until/--host/--rule/--min-severity` select. All fields are optional and combine with AND. */
export interface ReportFilter {
  /** Keep findings that end at or after this instant (ISO 8601; a date alone means its start, UTC). */
  since?: string;
  /** Keep findings that start at or before this instant (ISO 8601; a date alone means its end, UTC). */
  until?: string;
  /** Keep findings on any of these hosts, and only these hosts' inputs. */
  hosts?: string[];
  /** Rule ids; a trailing `*` matches a prefix (`storage.*`). */
  rules?: string[];
  /** Keep findings at or above this severity. */
  minSeverity?: Severity;
}

/**
 * Applies --since/--until/--host/--rule/--min-severity to findings (and inputs by host). Pure: the
 * input report is not changed. A finding is kept whole (all its steps) when it overlaps the time window.
 * Totals in `meta` are recomputed from the inputs kept.
 *
 * @throws {ForensicsError} `E_USAGE` when `since` or `until` is not an ISO 8601 instant or date.
 */
export function filterReport(report: Report, filter: ReportFilter): Report {
  const since = filter.since !== undefined ? parseBound(filter.since, 'since', false) : -Infinity;
  const until = filter.until !== undefined ? parseBound(filter.until, 'until', true) : Infinity;
  const hosts = filter.hosts && filter.hosts.length > 0 ? new Set(filter.hosts) : null;
  const rules = filter.rules && filter.rules.length > 0 ? filter.rules.map(ruleMatcher) : null;
  const minRank = filter.minSeverity !== undefined ? severityRank(filter.minSeverity) : Infinity;

  const keep = (f: Finding): boolean => {
    if (severityRank(f.severity) > minRank) return false;
    if (rules && !rules.some((m) => m(f.rule))) return false;
    if (hosts && !f.hosts.some((h) => hosts.has(h)) && !f.steps.some((s) => hosts.has(s.host))) return false;
    const start = microsFromIso(f.start);
    const end = microsFromIso(f.end);
    if (Number.isFinite(end) && end < since) return false;
    if (Number.isFinite(start) && start > until) return false;
    return true;
  };

  const inputs = hosts ? report.inputs.filter((i) => hosts.has(i.host)) : report.inputs;
  const out: Report & { timeline?: unknown } = { ...report, inputs: [...inputs], findings: report.findings.filter(keep) };
  if ('timeline' in report) {
    out.timeline = timelineOf(report).filter((e) => {
      const t = microsFromIso(e.time);
      return (!hosts || hosts.has(e.host)) && t >= since && t <= until && (e.severity === undefined || severityRank(e.severity) <= minRank);
    });
  }
  if (report.meta && hosts) {
    out.meta = {
      ...report.meta,
      lines: inputs.reduce((a, i) => a + i.lines, 0),
      unparsed: inputs.reduce((a, i) => a + i.unparsed, 0),
    };
  }
  return out;
}

function parseBound(value: string, name: string, endOfDay: boolean): number {
  const v = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const us = microsFromIso(`${v}T00:00:00Z`);
    if (!Number.isNaN(us)) return endOfDay ? us + 86_400_000_000 - 1 : us;
  } else {
    // Minutes-only instants (`2026-05-28T10:21Z`) are common on a command line.
    const withSeconds = v.replace(/^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2})(Z|[+-]\d{2}:?\d{2})?$/i, '$1:00$2');
    const us = microsFromIso(withSeconds);
    if (!Number.isNaN(us)) return us;
  }
  throw new ForensicsError('E_USAGE', `--${name}: expected an ISO 8601 time such as 2026-05-28T10:21:00Z, got "${value}"`);
}

function ruleMatcher(pattern: string): (rule: string) => boolean {
  if (pattern.endsWith('*')) {
    const prefix = pattern.slice(0, -1);
    return (rule) => rule.startsWith(prefix);
  }
  return (rule) => rule === pattern;
}
