import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { analyze, type AnalyzeOptions } from '../analyze.js';
import type { Finding } from '../model/report.js';
import { compareFindings, expectationsFrom, type Difference, type Expected } from './expected.js';

/** Outcome of one recorded incident. */
export interface IncidentResult {
  name: string;
  dir: string;
  ok: boolean;
  differences: Difference[];
  findings: Finding[];
  seconds: number;
  /** Set when the incident could not be analysed at all. */
  error?: string;
  /** With `update`: what changed in expected.json, as lines. */
  updated?: string[];
}

export interface RegressOptions {
  /** Rewrite each expected.json from the current findings. */
  update?: boolean;
  /** Extra rules, as for analyze. */
  rules?: string[];
}

/**
 * Runs every incident of a corpus (each folder holding an `expected.json`; a folder that is itself an
 * incident is run alone) and compares its findings with the expectations.
 */
export async function regress(corpus: string, options: RegressOptions = {}): Promise<IncidentResult[]> {
  const dirs = await incidentDirs(corpus);
  const results: IncidentResult[] = [];
  for (const dir of dirs) {
    const t0 = performance.now();
    const name = basename(dir);
    const expected = JSON.parse(await readFile(join(dir, 'expected.json'), 'utf8')) as Expected;
    try {
      const opts: AnalyzeOptions = { ...(expected.options ?? {}), rules: options.rules };
      const report = await analyze([dir], opts);
      let differences = compareFindings(expected, report.findings);
      let updated: string[] | undefined;
      if (options.update) {
        const next = expectationsFrom(report.findings, expected);
        updated = describeUpdate(expected, next);
        if (updated.length > 0) await writeFile(join(dir, 'expected.json'), `${JSON.stringify(next, null, 2)}\n`);
        differences = compareFindings(next, report.findings);
      }
      results.push({ name, dir, ok: differences.length === 0, differences, findings: report.findings, seconds: (performance.now() - t0) / 1000, updated });
    } catch (err) {
      results.push({ name, dir, ok: false, differences: [], findings: [], seconds: (performance.now() - t0) / 1000, error: (err as Error).message });
    }
  }
  return results;
}

async function incidentDirs(corpus: string): Promise<string[]> {
  if (await exists(join(corpus, 'expected.json'))) return [corpus];
  const out: string[] = [];
  for (const e of (await readdir(corpus, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.isDirectory() && (await exists(join(corpus, e.name, 'expected.json')))) out.push(join(corpus, e.name));
  }
  return out;
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

function describeUpdate(before: Expected, after: Expected): string[] {
  const key = (f: Expected['findings'][number]): string => `${f.rule} on ${(f.hosts ?? []).join(',')} ${JSON.stringify(f.entities ?? {})}`;
  const a = new Set(before.findings.map(key));
  const b = new Set(after.findings.map(key));
  return [...[...b].filter((k) => !a.has(k)).map((k) => `+ ${k}`), ...[...a].filter((k) => !b.has(k)).map((k) => `- ${k}`)];
}
