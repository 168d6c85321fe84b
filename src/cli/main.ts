#!/usr/bin/env node
/**
 * The `forensics` command. Reader threads for large inputs start first, while the rest of the program
 * loads (src/ingest/reader-threads.ts); the program itself is a client of the public API only.
 */
import { statSync } from 'node:fs';
import { earlyReaderCount, prestartReaders } from '../ingest/reader-threads.js';

const sizeOf = (path: string): number => {
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    return !st ? 0 : st.isDirectory() ? Infinity : st.size;
  } catch {
    // (A symlink loop, no permission: the program reports it.)
    return 0;
  }
};
prestartReaders(earlyReaderCount(process.argv.slice(2), sizeOf));
await import('./program.js');
