import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bundleFiles } from '../../corpus/make-bundles.js';

const corpus = resolve(import.meta.dirname, '../../corpus');
// Compare gzip files by content: the compressed bytes may differ between zlib versions.
const digest = (rel: string, b: Buffer): string => createHash('sha256').update(rel.endsWith('.gz') ? gunzipSync(b, { finishFlush: 2 }) : b).digest('hex');

describe('bundle corpus', () => {
  it('on disk equals what corpus/make-bundles.ts generates', async () => {
    for (const [rel, body] of await bundleFiles()) {
      expect(digest(rel, readFileSync(resolve(corpus, rel))), `${rel} drifted (run npx tsx corpus/make-bundles.ts)`).toBe(digest(rel, body));
    }
  });
});
