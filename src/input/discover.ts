import { readdirSync, statSync, type Dirent, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';

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

/** Folders nested deeper than this are not entered (a guard; loops are caught before). */
const MAX_DEPTH = 64;

/**
 * Files to read, in a stable order (sorted by path within each argument). Folders are walked
 * recursively following symlinks; what cannot be used is a problem with a reason, never silence:
 * missing paths, symlink loops, dangling symlinks, unreadable folders, and folders reached twice
 * through symlinks (read once). Hidden entries (`.name`) are left out. Special files (FIFOs,
 * devices) are listed and refused by the planner, which says why.
 */
export async function discover(paths: readonly string[]): Promise<{ files: FoundFile[]; problems: DiscoveryProblem[] }> {
  const files: FoundFile[] = [];
  const problems: DiscoveryProblem[] = [];
  const seen = new Set<string>();
  const add = (f: FoundFile): void => {
    if (seen.has(f.abs)) return;
    seen.add(f.abs);
    files.push(f);
  };
  const visitedDirs = new Map<string, string>();
  for (const p of paths) {
    let st: Stats;
    try {
      st = await stat(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && GLOB_CHARS.test(p)) {
        const base = globBase(p);
        // fast-glob is loaded only for a pattern (folders are walked by walk()).
        const { default: fg } = await import('fast-glob');
        const matches = await fg(p, { onlyFiles: true, dot: false, followSymbolicLinks: true, absolute: true, suppressErrors: true });
        if (matches.length === 0) problems.push({ path: p, message: 'no file matches this pattern' });
        for (const abs of matches.sort()) add(underRoot(resolve(base), abs));
        continue;
      }
      problems.push({ path: p, message: fsReason(code, err) });
      continue;
    }
    if (st.isDirectory()) {
      const root = resolve(p);
      const found: string[] = [];
      await walk(root, `${st.dev}:${st.ino}`, p, visitedDirs, found, problems);
      if (found.length === 0 && !problems.some((q) => q.path === p)) problems.push({ path: p, message: 'folder has no files' });
      for (const abs of found.sort()) add(underRoot(root, abs));
    } else {
      add({ abs: resolve(p), rel: p });
    }
  }
  return { files, problems };
}

function fsReason(code: string | undefined, err: unknown): string {
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'ELOOP':
      return 'symlink loop (the link points back to itself)';
    case 'EACCES':
    case 'EPERM':
      return 'cannot read: permission denied';
    case 'ENOTDIR':
      return 'no such file or folder (a part of the path is a file)';
    default:
      return `cannot read (${code ?? String(err)})`;
  }
}

/**
 * Walks a folder tree depth first in name order, real folders before symlinked ones, so that which
 * of two paths to the same folder is read (and which is reported) does not depend on timing.
 * Synchronous calls: on trees of many small folders they are several times faster than promises.
 */
async function walk(root: string, rootId: string, shown: string, visited: Map<string, string>, found: string[], problems: DiscoveryProblem[]): Promise<void> {
  const prev = visited.get(rootId);
  if (prev !== undefined) {
    problems.push({ path: shown, message: `same folder as ${prev} (read once)` });
    return;
  }
  visited.set(rootId, shown);
  const here = (abs: string): string => showPath(root, shown, abs);
  let sinceYield = 0;
  const visit = async (dir: string, depth: number, ancestors: string[]): Promise<void> => {
    if (++sinceYield >= 256) {
      sinceYield = 0;
      await new Promise<void>((r) => setImmediate(r));
    }
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      problems.push({ path: here(dir), message: `folder ${fsReason((err as NodeJS.ErrnoException).code, err).replace(/^cannot read: /, 'cannot be read: ')}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const linked: Array<[string, Stats]> = [];
    const dirs: string[] = [];
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const abs = join(dir, e.name);
      if (e.isDirectory()) dirs.push(abs);
      else if (e.isSymbolicLink()) {
        let st: Stats;
        try {
          st = statSync(abs);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          problems.push({ path: here(abs), message: code === 'ENOENT' ? 'dangling symlink (its target does not exist)' : code === 'ELOOP' ? 'symlink loop' : fsReason(code, err) });
          continue;
        }
        if (st.isDirectory()) linked.push([abs, st]);
        else found.push(abs);
      } else {
        // Regular files, and special files the planner refuses with a reason.
        found.push(abs);
      }
    }
    const enter = async (abs: string, st: Stats | undefined): Promise<void> => {
      if (depth + 1 > MAX_DEPTH) {
        problems.push({ path: here(abs), message: `folder nested more than ${MAX_DEPTH} levels deep: not entered` });
        return;
      }
      try {
        st ??= statSync(abs);
      } catch (err) {
        problems.push({ path: here(abs), message: fsReason((err as NodeJS.ErrnoException).code, err) });
        return;
      }
      const id = `${st.dev}:${st.ino}`;
      const first = visited.get(id);
      if (first !== undefined) {
        problems.push({
          path: here(abs),
          message: ancestors.includes(id) ? `symlink loop: this folder is ${first} again (not entered)` : `same folder as ${first}, reached through a symlink (read once)`,
        });
        return;
      }
      visited.set(id, here(abs));
      await visit(abs, depth + 1, [...ancestors, id]);
    };
    for (const d of dirs) await enter(d, undefined);
    for (const [abs, st] of linked) await enter(abs, st);
  };
  await visit(root, 0, [rootId]);
}

function showPath(root: string, shown: string, abs: string): string {
  // Named like the files found under the same root (relative to it), so that the report reads alike.
  const rel = relative(root, abs).split(sep).join('/');
  return rel === '' ? shown : rel;
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
