import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';
import { repoRoot } from '../helpers.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** A temp folder (world-readable, removed after the file's tests); files are written as given (no gzip by name). */
export function tmpTree(files: Record<string, string | Buffer> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'forensics-hostile-'));
  chmodSync(root, 0o755);
  roots.push(root);
  for (const [rel, content] of Object.entries(files)) writeIn(root, rel, content);
  return root;
}

export function writeIn(root: string, rel: string, content: string | Buffer): string {
  const abs = join(root, rel);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, content);
  return abs;
}

/** `n` syslog lines of host k8s02, one second apart from 20:21:00, each naming its number. */
export function syslogLines(n: number, tag = 'line', from = 0): string {
  const two = (v: number): string => String(v).padStart(2, '0');
  let out = '';
  for (let i = from; i < from + n; i++) {
    const t = (20 * 3600 + 21 * 60 + i) % 86400;
    out += `May 28 ${two(Math.floor(t / 3600))}:${two(Math.floor(t / 60) % 60)}:${two(t % 60)} k8s02 app[1]: ${tag} ${i}\n`;
  }
  return out;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Peak resident memory of the child, in MB (when run with `measure`). */
  peakMb?: number;
}

/**
 * Runs the CLI from source (no build needed) in a child process. With `measure`, the child reports
 * its peak RSS (process.resourceUsage().maxRSS) on exit.
 */
export function runCli(args: string[], opts: { measure?: boolean; spawn?: SpawnSyncOptions } = {}): CliRun {
  const entry = opts.measure ? join(repoRoot, 'test/hostile/rss-child.ts') : join(repoRoot, 'src/cli/main.ts');
  const r = spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 60_000,
    ...opts.spawn,
    env: { ...process.env, NO_COLOR: '1', CI: '1', ...(opts.spawn?.env ?? {}) },
  });
  const stderr = String(r.stderr ?? '');
  const m = /FORENSICS_PEAK_RSS_KB=(\d+)/.exec(stderr);
  return {
    code: r.status ?? -1,
    stdout: String(r.stdout ?? ''),
    stderr: stderr.replace(/FORENSICS_PEAK_RSS_KB=\d+\n?/, ''),
    ...(m ? { peakMb: Number(m[1]) / 1024 } : {}),
  };
}
