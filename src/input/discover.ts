import { readdir, stat } from 'node:fs/promises';
import type { Dirent, Stats } from 'node:fs';
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

/** Folders read at once while walking (bounded so that a wide tree does not exhaust file handles). */
const WALK_CONCURRENCY = 32;

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

/** Walks a folder tree; `shown` is how the folder is named in problems. */
async function walk(root: string, rootId: string, shown: string, visited: Map<string, string>, found: string[], problems: DiscoveryProblem[]): Promise<void> {
  const prev = visited.get(rootId);
  if (prev !== undefined) {
    problems.push({ path: shown, message: `same folder as ${prev} (read once)` });
    return;
  }
  visited.set(rootId, shown);
  let active = 0;
  const waiting: Array<() => void> = [];
  const slot = async (): Promise<void> => {
    if (active < WALK_CONCURRENCY) {
      active++;
      return;
    }
    await new Promise<void>((r) => waiting.push(r));
  };
  const release = (): void => {
    const w = waiting.shift();
    if (w) w();
    else active--;
  };
  const visit = async (dir: string, depth: number): Promise<void> => {
    let entries: Dirent[];
    await slot();
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      problems.push({ path: showPath(root, shown, dir), message: `folder ${fsReason((err as NodeJS.ErrnoException).code, err).replace(/^cannot read: /, 'cannot be read: ')}` });
      return;
    } finally {
      release();
    }
    const subdirs: Promise<void>[] = [];
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const abs = join(dir, e.name);
      if (e.isDirectory()) {
        subdirs.push(enter(abs, depth));
      } else if (e.isSymbolicLink()) {
        subdirs.push(
          stat(abs).then(
            (st) => {
              if (st.isDirectory()) return enter(abs, depth, st);
              found.push(abs);
            },
            (err: NodeJS.ErrnoException) => {
              const why = err.code === 'ENOENT' ? 'dangling symlink (its target does not exist)' : err.code === 'ELOOP' ? 'symlink loop' : fsReason(err.code, err);
              problems.push({ path: showPath(root, shown, abs), message: why });
            },
          ),
        );
      } else {
        // Regular files, and special files the planner refuses with a reason.
        found.push(abs);
      }
    }
    await Promise.all(subdirs);
  };
  const enter = async (abs: string, depth: number, known?: Stats): Promise<void> => {
    if (depth + 1 > MAX_DEPTH) {
      problems.push({ path: showPath(root, shown, abs), message: `folder nested more than ${MAX_DEPTH} levels deep: not entered` });
      return;
    }
    let st = known;
    try {
      st ??= await stat(abs);
    } catch (err) {
      problems.push({ path: showPath(root, shown, abs), message: fsReason((err as NodeJS.ErrnoException).code, err) });
      return;
    }
    const id = `${st.dev}:${st.ino}`;
    const first = visited.get(id);
    if (first !== undefined) {
      const here = showPath(root, shown, abs);
      const loop = here.startsWith(`${first}/`) || first === shown || !first.includes('/');
      problems.push({ path: here, message: loop ? `symlink loop: this folder is ${first} again (not entered)` : `same folder as ${first}, reached through a symlink (read once)` });
      return;
    }
    visited.set(id, showPath(root, shown, abs));
    await visit(abs, depth + 1);
  };
  await visit(root, 0);
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
