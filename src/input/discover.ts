import { stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import fg from 'fast-glob';

/** A file found under one of the paths the user gave. */
export interface FoundFile {
  /** Absolute path. */
  abs: string;
  /** Path shown in evidence: relative to the folder or glob base it was found under, or as given for a file. */
  rel: string;
  /** Host implied by the layout (first folder under the root), if any. */
  hostFromPath?: string;
}

/** A path the user gave that could not be used. */
export interface DiscoveryProblem {
  path: string;
  message: string;
}

const GLOB_CHARS = /[*?[\]{}()!]/;

/** Files to read, in a stable order (sorted by path within each argument). */
export async function discover(paths: readonly string[]): Promise<{ files: FoundFile[]; problems: DiscoveryProblem[] }> {
  const files: FoundFile[] = [];
  const problems: DiscoveryProblem[] = [];
  const seen = new Set<string>();
  const add = (f: FoundFile): void => {
    if (seen.has(f.abs)) return;
    seen.add(f.abs);
    files.push(f);
  };
  for (const p of paths) {
    let st;
    try {
      st = await stat(p);
    } catch (err) {
      if (GLOB_CHARS.test(p)) {
        const base = globBase(p);
        const matches = await fg(p, { onlyFiles: true, dot: false, followSymbolicLinks: true, absolute: true, suppressErrors: true });
        if (matches.length === 0) problems.push({ path: p, message: 'no file matches this pattern' });
        for (const abs of matches.sort()) add(underRoot(resolve(base), abs));
        continue;
      }
      const code = (err as NodeJS.ErrnoException).code;
      problems.push({ path: p, message: code === 'ENOENT' ? 'no such file or folder' : `cannot read (${code ?? String(err)})` });
      continue;
    }
    if (st.isDirectory()) {
      const root = resolve(p);
      const entries = await fg('**/*', {
        cwd: root,
        onlyFiles: true,
        dot: false,
        followSymbolicLinks: true,
        suppressErrors: true,
        absolute: true,
      });
      if (entries.length === 0) problems.push({ path: p, message: 'folder has no files' });
      for (const abs of entries.sort()) add(underRoot(root, abs));
    } else {
      add({ abs: resolve(p), rel: p });
    }
  }
  return { files, problems };
}

function underRoot(root: string, abs: string): FoundFile {
  const rel = relative(root, abs);
  const parts = rel.split(sep);
  return { abs, rel: parts.join('/'), hostFromPath: parts.length > 1 ? parts[0] : undefined };
}

function globBase(pattern: string): string {
  const parts = pattern.split(/[\\/]/);
  const fixed: string[] = [];
  for (const part of parts) {
    if (GLOB_CHARS.test(part)) break;
    fixed.push(part);
  }
  const base = fixed.join('/');
  return base === '' ? '.' : fixed.length === parts.length ? dirname(base) : base;
}

/** The name a rotated log would have without its rotation suffix (`syslog.2.gz` -> `syslog`). */
export function rotationBase(rel: string): { base: string; index: number } {
  const name = basename(rel);
  const m = /^(.*?)(?:\.(\d+))?(?:\.gz)?$/.exec(name);
  const base = m?.[1] ?? name;
  return { base: join(dirname(rel), base), index: m?.[2] ? Number(m[2]) : 0 };
}
