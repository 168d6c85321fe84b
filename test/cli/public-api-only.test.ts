import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers.js';

describe('the CLI is a client of the public API', () => {
  it('imports nothing from the package but its index', () => {
    const dir = join(repoRoot, 'src/cli');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
      const imports = [...readFileSync(join(dir, f), 'utf8').matchAll(/from '(\.\.?\/[^']+)'/g)].map((m) => m[1]);
      // The entry (main.ts) also starts reader threads before the program loads, from a module that
      // imports nothing of the project (src/ingest/reader-threads.ts).
      const allowed = (i: string): string => (i.startsWith('./') || (f === 'main.ts' && i === '../ingest/reader-threads.js') ? i : '../index.js');
      for (const i of imports) expect({ file: f, import: i }).toEqual({ file: f, import: allowed(i) });
    }
    const early = readFileSync(join(repoRoot, 'src/ingest/reader-threads.ts'), 'utf8');
    expect([...early.matchAll(/from '(\.\.?\/[^']+)'/g)]).toEqual([]);
  });
});
