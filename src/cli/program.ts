import { writeFile } from 'node:fs/promises';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
// The CLI is one client of the public API: it imports nothing else from the package.
import {
  analyze,
  createProgress,
  filterReport,
  ForensicsError,
  formatDiagnostic,
  isSeverity,
  isValidZone,
  renderReport,
  REPORT_FORMATS,
  RuleError,
  severityRank,
  timeline,
  UsageError,
  VERSION,
  type ReportFormat,
  type Severity,
} from '../index.js';
import { regressCommand } from './regress-command.js';
import { rulesCommand } from './rules-command.js';

/** Exit codes: 0 ran; 1 `--fail-on` threshold reached; 2 usage error or nothing readable. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

function collect(value: string, prev: string[] = []): string[] {
  return [...prev, value];
}

function parseYear(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1970 || n > 2200) throw new InvalidArgumentError('expected a year such as 2026');
  return n;
}

function parseJobs(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new InvalidArgumentError('expected a number of threads from 1 to 256');
  return n;
}

function parseSeverity(v: string): Severity {
  if (!isSeverity(v)) throw new InvalidArgumentError('expected critical, high, medium, low or info');
  return v;
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  let exitCode: number = EXIT.ok;
  program
    .name('forensics')
    .description('Turn the logs collected after a Kubernetes/Linux incident into causal chains with evidence.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('analyze')
    .description('read logs (files, folders, globs; .gz by content) and report the causal chains found')
    .argument('<paths...>', 'files, folders (walked recursively) or globs')
    .addOption(new Option('--format <format>', 'report format').choices([...REPORT_FORMATS]).default('text'))
    .option('--json', 'same as --format json (contract: schemas/report.schema.json)')
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--rules <path>', 'extra rule file or folder (repeatable)', collect, [])
    .option('--no-builtin-rules', 'do not load the built-in rule pack')
    .option('--param <rule.name=value>', 'set a rule parameter, e.g. kubelet-informer-stall.minutes=20 (repeatable)', collect, [])
    .option('--host <name>', 'only this host (repeatable); files that name no host are taken to be the first one given', collect, [])
    .option('--tz <zone>', 'IANA zone of zone-less timestamps, or host=zone for one host (repeatable)', collect, [])
    .option('--display-tz <zone>', 'zone for local times in text, markdown and html reports')
    .option('--year <yyyy>', 'year of year-less timestamps (default: from dated logs of the same host, else the file time)', parseYear)
    .option('--since <time>', 'only findings ending at or after this time (ISO 8601, or a date)')
    .option('--until <time>', 'only findings starting at or before this time')
    .option('--rule <id>', 'only these rules (repeatable; a trailing * matches a prefix)', collect, [])
    .addOption(new Option('--min-severity <severity>', 'only findings at or above this severity').argParser(parseSeverity))
    .option('--near-misses', 'also report chains that matched only some steps (JSON: nearMisses)')
    .option('--timeline', 'include the classified events in time order (JSON: timeline; HTML: marks)')
    .option('--at <time>', 'time of state snapshots (kubectl objects, metrics) instead of their files\' time (ISO 8601)')
    .option('--jobs <n>', 'worker threads reading inputs (default: the number of cores)', parseJobs)
    .option('--correct-skew', "shift each host's events by its estimated clock offset (meta.clockSkew) before correlating")
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding at or above this severity exists').argParser(parseSeverity))
    .option('--no-color', 'no colours (also when NO_COLOR is set or output is not a terminal)')
    .action(async (paths: string[], opts: AnalyzeCliOptions) => {
      const { tz, tzByHost } = splitTz(opts.tz);
      const format: ReportFormat = opts.json ? 'json' : opts.format;
      if (opts.displayTz && !isValidZone(opts.displayTz)) throw new UsageError(`unknown time zone "${opts.displayTz}" (expected an IANA name such as Australia/Brisbane or UTC)`);
      const progress = createProgress({ stream: process.stderr, enabled: format !== 'json' && !!process.stderr.isTTY && !process.env.CI });
      let report;
      try {
        report = await analyze(paths, {
          rules: opts.rules,
          builtinRules: opts.builtinRules,
          host: opts.host[0],
          tz,
          tzByHost,
          year: opts.year,
          nearMisses: opts.nearMisses,
          timeline: opts.timeline || format === 'html',
          correctSkew: opts.correctSkew,
          at: opts.at,
          jobs: opts.jobs,
          params: parseParams(opts.param),
          onProgress: (p) => progress.update(p),
        });
      } finally {
        progress.stop();
      }
      const filtered = filterReport(report, {
        since: opts.since,
        until: opts.until,
        hosts: opts.host.length > 0 ? opts.host : undefined,
        rules: opts.rule.length > 0 ? opts.rule : undefined,
        minSeverity: opts.minSeverity,
      });
      const hostTz: Record<string, string> = {};
      for (const h of new Set(filtered.inputs.map((i) => i.host))) hostTz[h] = tzByHost[h] ?? tz ?? 'UTC';
      const toFile = opts.output !== undefined;
      const text =
        format === 'json'
          ? `${JSON.stringify(filtered, null, 2)}\n`
          : renderReport(filtered, format, {
              color: !toFile && useColor(opts.color),
              width: toFile ? 100 : Math.min(process.stdout.columns ?? 100, 100),
              displayTz: opts.displayTz ?? tz,
              hostTz,
            });
      if (toFile) await writeFile(opts.output!, text);
      else process.stdout.write(text);
      if (opts.failOn && filtered.findings.some((f) => severityRank(f.severity) <= severityRank(opts.failOn!))) exitCode = EXIT.findings;
    });

  program
    .command('timeline')
    .description('print the merged events of all hosts in time order (UTC, with timestamp quality)')
    .argument('<paths...>', 'files, folders (walked recursively) or globs')
    .option('--since <time>', 'from this time (ISO 8601, UTC unless a zone is given; a date alone is its start)')
    .option('--until <time>', 'until this time')
    .option('--host <name>', 'only this host (repeatable); files that name no host are taken to be the first one given', collect, [])
    .option('--grep <regex>', 'only lines matching this regex (case-insensitive)')
    .option('--classified', 'only lines a signature of the rule pack classified')
    .option('--tz <zone>', 'IANA zone of zone-less timestamps, or host=zone (repeatable)', collect, [])
    .option('--year <yyyy>', 'year of year-less timestamps', parseYear)
    .option('--rules <path>', 'extra rule file or folder (repeatable)', collect, [])
    .option('--json', 'print {timeline, inputs} as JSON')
    .action(async (paths: string[], opts: { since?: string; until?: string; host: string[]; grep?: string; classified?: boolean; tz: string[]; year?: number; rules: string[]; json?: boolean }) => {
      const { tz, tzByHost } = splitTz(opts.tz);
      const { entries, inputs } = await timeline(paths, {
        since: opts.since,
        until: opts.until,
        hosts: opts.host.length ? opts.host : undefined,
        host: opts.host[0],
        grep: opts.grep,
        classifiedOnly: opts.classified,
        tz,
        tzByHost,
        year: opts.year,
        rules: opts.rules,
      });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ timeline: entries, inputs }, null, 2)}\n`);
        return;
      }
      const width = Math.max(4, ...entries.map((e) => e.host.length));
      const out: string[] = [];
      for (const e of entries) {
        // ~ marks a time that was estimated (no year, no zone, boot-anchored, relative).
        const mark = e.quality === 'exact' ? ' ' : '~';
        out.push(`${(e.time || '(no time)').padEnd(27)}${mark} ${e.host.padEnd(width)}  ${e.file}:${e.line}  ${e.text.replace(/\s+/g, ' ')}`);
      }
      process.stdout.write(out.length ? `${out.join('\n')}\n` : '');
      process.stderr.write(`${entries.length} event(s) from ${inputs.filter((i) => i.format !== 'skipped').length} input(s)\n`);
    });

  program.addCommand(rulesCommand());
  program.addCommand(regressCommand(useColor));

  try {
    await program.parseAsync(argv, { from: 'user' });
    // Subcommands set process.exitCode themselves (rules check/test, regress).
    return Math.max(exitCode, Number(process.exitCode ?? 0));
  } catch (err) {
    return reportError(err);
  }
}

interface AnalyzeCliOptions {
  format: ReportFormat;
  json?: boolean;
  output?: string;
  rules: string[];
  builtinRules: boolean;
  param: string[];
  host: string[];
  tz: string[];
  displayTz?: string;
  year?: number;
  since?: string;
  until?: string;
  rule: string[];
  minSeverity?: Severity;
  nearMisses?: boolean;
  timeline?: boolean;
  correctSkew?: boolean;
  at?: string;
  jobs?: number;
  failOn?: Severity;
  color: boolean;
}

/** `rule.name=value` items to `{ rule: { name: value } }`; numbers and booleans are typed. */
function parseParams(items: string[]): Record<string, Record<string, string | number | boolean>> {
  const out: Record<string, Record<string, string | number | boolean>> = {};
  for (const item of items) {
    const m = /^([a-z0-9][a-z0-9._-]*)\.([A-Za-z_]\w*)=(.*)$/.exec(item);
    if (!m) throw new InvalidArgumentError(`--param ${item}: expected <rule-id>.<name>=<value>`);
    const raw = m[3];
    const value = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
    (out[m[1]] ??= {})[m[2]] = value;
  }
  return out;
}

function splitTz(list: string[]): { tz?: string; tzByHost: Record<string, string> } {
  let tz: string | undefined;
  const tzByHost: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq > 0) tzByHost[item.slice(0, eq)] = item.slice(eq + 1);
    else tz = item;
  }
  return { tz, tzByHost };
}

/** Colours only on a terminal, never with NO_COLOR, never with --no-color. */
export function useColor(flag: boolean): boolean {
  return flag && !!process.stdout.isTTY && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
}

/** One clear line on stderr, never a stack trace. */
function reportError(err: unknown): number {
  if (err instanceof InvalidArgumentError) {
    process.stderr.write(`forensics: ${err.message}\n`);
    return EXIT.usage;
  }
  if (err instanceof CommanderError) {
    // Commander already printed its message (or help/version).
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (err instanceof RuleError) {
    for (const d of err.diagnostics) process.stderr.write(`forensics: ${formatDiagnostic(d)}\n`);
    return EXIT.usage;
  }
  if (err instanceof ForensicsError) {
    process.stderr.write(`forensics: ${err.message}\n`);
    return EXIT.usage;
  }
  if (err instanceof RangeError && /time zone/.test(err.message)) {
    process.stderr.write(`forensics: ${err.message}\n`);
    return EXIT.usage;
  }
  process.stderr.write(`forensics: internal error: ${(err as Error)?.message ?? String(err)} (please report it with the command line)\n`);
  return EXIT.usage;
}

// Output piped into `head` or `less` that stops reading is not an error: stop quietly, like grep.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = reportError(err);
  },
);
