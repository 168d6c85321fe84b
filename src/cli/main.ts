#!/usr/bin/env node
/**
 * The `forensics` command. Reader threads for large inputs start first, while the rest of the program
 * loads (src/ingest/reader-threads.ts); the program itself is a client of the public API only.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { earlyReaderCount, prestartReaders } from '../ingest/reader-threads.js';

/** Folder entries looked at before a guess: a large tree is taken to be large. */
const MAX_ENTRIES = 512;

/** Sizes of the files `path` names (itself, or those under a folder, up to MAX_ENTRIES entries). */
function filesOf(path: string): number[] {
  const sizes: number[] = [];
  let seen = 0;
  const visit = (p: string, depth: number): void => {
    if (++seen > MAX_ENTRIES) return;
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isFile()) sizes.push(st.size);
    else if (st?.isDirectory() && depth < 8) for (const name of readdirSync(p)) visit(join(p, name), depth + 1);
  };
  try {
    visit(path, 0);
  } catch {
    // (No permission, a symlink loop: the program reports it.)
  }
  return seen > MAX_ENTRIES ? [Infinity, Infinity] : sizes;
}

prestartReaders(earlyReaderCount(process.argv.slice(2), filesOf));
await import('./program.js');
