import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers.js';

describe('the CLI is a client of the public API', () => {
  it('imports nothing from the package but its index', () => {
    const dir = join(repoRoot, 'src/cli');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
      const imports = [...readFileSync(join(dir, f), 'utf8').matchAll(/from '(\.\.?\/[^']+)'/g)].map((m) => m[1]);
      for (const i of imports) expect({ file: f, import: i }).toEqual({ file: f, import: i.startsWith('./') ? i : '../index.js' });
    }
  });
});
