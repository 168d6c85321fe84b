import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiReport, REPORT } from '../../api/generate.mjs';

describe('public API surface', () => {
  it('matches the checked-in report api/forensics.d.ts.txt (update it with `npm run api-report` and review the diff)', () => {
    const current = apiReport();
    const recorded = readFileSync(REPORT, 'utf8');
    // On failure the diff shows what changed in the public surface.
    expect(current, 'public API changed: run `npm run api-report`, review and commit api/forensics.d.ts.txt').toBe(recorded);
  });

  it('has no `any` in the public surface', () => {
    expect(apiReport()).not.toMatch(/\bany\b(?![-\w])/);
  });
});
