#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { analyze, VERSION } from '../analyze.js';
import { ForensicsError, RuleError, formatDiagnostic } from '../model/errors.js';
import { isSeverity, severityRank, type Severity } from '../model/severity.js';
import { renderText } from '../report/text.js';
import { rulesCommand } from './rules-command.js';

/** Exit codes: 0 ran; 1 `--fail-on` threshold reached; 2 usage error or nothing readable. */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

function parseTzList(value: string, prev: string[] = []): string[] {
  return [...prev, value];
}

function parseYear(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1970 || n > 2200) throw new InvalidArgumentError('expected a year such as 2026');
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
    .option('--json', 'print the report as one JSON object (schemas/report.schema.json)')
    .option('--rules <path>', 'extra rule file or folder (repeatable)', parseTzList, [])
    .option('--no-builtin-rules', 'do not load the built-in rule pack')
    .option('--host <name>', 'host for lines whose format and folder name none')
    .option('--tz <zone>', 'IANA zone of zone-less timestamps, or host=zone for one host (repeatable)', parseTzList, [])
    .option('--year <yyyy>', 'year of year-less timestamps (default: from the file time)', parseYear)
    .option('--near-misses', 'also report chains that matched only some steps')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding at or above this severity exists').argParser(parseSeverity))
    .option('--no-color', 'no colours (also when NO_COLOR is set or output is not a terminal)')
    .action(async (paths: string[], opts: AnalyzeCliOptions) => {
      const { tz, tzByHost } = splitTz(opts.tz);
      const report = await analyze(paths, {
        rules: opts.rules,
        builtinRules: opts.builtinRules,
        host: opts.host,
        tz,
        tzByHost,
        year: opts.year,
        nearMisses: opts.nearMisses,
      });
      if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else process.stdout.write(renderText(report, { color: useColor(opts.color), width: process.stdout.columns ?? 100 }));
      if (opts.failOn && report.findings.some((f) => severityRank(f.severity) <= severityRank(opts.failOn!))) exitCode = EXIT.findings;
    });

  program.addCommand(rulesCommand());

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    return reportError(err);
  }
}

interface AnalyzeCliOptions {
  json?: boolean;
  rules: string[];
  builtinRules: boolean;
  host?: string;
  tz: string[];
  year?: number;
  nearMisses?: boolean;
  failOn?: Severity;
  color: boolean;
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

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = reportError(err);
  },
);
