import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/loader.js';
import { Classifier } from '../../src/rules/signatures.js';
import { planInputs } from '../../src/pipeline/plan.js';
import { ingestInputs } from '../../src/pipeline/ingest.js';
import { runRules } from '../../src/correlators/engine.js';
import type { LoadedRule } from '../../src/rules/types.js';
import type { FastOptions } from '../../src/ingest/fast.js';
import { generateBenchLogs } from '../../tools/loggen/generate.js';
import { repoRoot } from '../helpers.js';

/**
 * The fast path (prefilter over raw chunks, sampled time) must keep exactly the events and give
 * exactly the findings of the reference path (every line fully parsed), whatever the number of
 * workers and the chunk and sample sizes.
 */
let rules: LoadedRule[];
beforeAll(async () => {
  rules = await loadRules([], { builtin: true });
});

interface Run {
  events: string[];
  findings: unknown[];
  inputs: unknown[];
}

async function run(paths: string[], opts: { tz?: string; year?: number }, fast: false | FastOptions, jobs: number): Promise<Run> {
  const { planned } = await planInputs(paths);
  const classifier = new Classifier(rules);
  const ing = await ingestInputs(planned, classifier, { ...opts, rules, jobs, fast });
  const { findings } = runRules(ing.store, rules, { coverage: ing.coverage, classifier });
  const events = ing.store
    .all()
    .map((e) => JSON.stringify([e.kind, e.file, e.line, e.ts, e.host, e.msg, e.captures ?? null]))
    .sort();
  // Exact: line counts, bytes, format, first/last (times of the first and last timed lines). Sampled
  // (documented): the summary host of a file mixing hosts (the host with most runs of lines).
  const inputs = ing.inputs
    .map((i) => ({ path: i.path, format: i.format, lines: i.lines, first: i.first, last: i.last, bytes: i.bytes }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  return { events, findings: findings.map((f) => JSON.parse(JSON.stringify(f)) as unknown), inputs };
}

const VARIANTS: Array<{ name: string; jobs: number; fast: FastOptions }> = [
  { name: 'jobs=1, 1 MiB chunks', jobs: 1, fast: {} },
  { name: 'jobs=2, 64 KiB chunks, 4 KiB samples', jobs: 2, fast: { chunkBytes: 64 * 1024, sampleBytes: 4096 } },
  { name: 'jobs=1, 7 KiB chunks, 1 KiB samples', jobs: 1, fast: { chunkBytes: 7 * 1024, sampleBytes: 1024 } },
  { name: 'jobs=2, plain files cut into 100 KiB ranges', jobs: 2, fast: { rangeBytes: 100 * 1024 } },
];

const corpus = join(repoRoot, 'corpus');
const incidents = existsSync(corpus) ? readdirSync(corpus).filter((d) => existsSync(join(corpus, d, 'expected.json'))) : [];

describe('fast path = reference path on the corpus', () => {
  for (const name of incidents) {
    it(name, async () => {
      const expected = JSON.parse(readFileSync(join(corpus, name, 'expected.json'), 'utf8')) as { options?: { tz?: string; year?: number }; findings: unknown[] };
      const opts = expected.options ?? {};
      const ref = await run([join(corpus, name)], opts, false, 1);
      // A healthy incident may keep nothing; one with findings must keep the events behind them.
      if (expected.findings.length > 0) expect(ref.events.length).toBeGreaterThan(0);
      for (const v of VARIANTS) {
        const got = await run([join(corpus, name)], opts, v.fast, v.jobs);
        expect({ variant: v.name, events: got.events }).toEqual({ variant: v.name, events: ref.events });
        expect({ variant: v.name, findings: got.findings }).toEqual({ variant: v.name, findings: ref.findings });
        expect({ variant: v.name, inputs: got.inputs }).toEqual({ variant: v.name, inputs: ref.inputs });
      }
    });
  }
});

describe('fast path = reference path on generated logs', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'forensics-perf-eq-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const [seed, layout, gzip] of [
    [1, 'folder', false],
    [7, 'single', false],
    [42, 'folder', true],
  ] as const) {
    it(`seed ${seed}, ${layout}${gzip ? ', gzip' : ''}`, async () => {
      const out = join(dir, `s${seed}`);
      await generateBenchLogs({ dir: out, sizeBytes: 3 * 1024 * 1024, seed, gzip, layout, signatureEvery: 400, tz: 'Australia/Brisbane' });
      const opts = { tz: 'Australia/Brisbane', year: 2026 };
      const ref = await run([out], opts, false, 1);
      expect(ref.events.length).toBeGreaterThan(10);
      for (const v of VARIANTS) {
        const got = await run([out], opts, v.fast, v.jobs);
        expect({ variant: v.name, events: got.events }).toEqual({ variant: v.name, events: ref.events });
        expect({ variant: v.name, findings: got.findings }).toEqual({ variant: v.name, findings: ref.findings });
        expect({ variant: v.name, inputs: got.inputs }).toEqual({ variant: v.name, inputs: ref.inputs });
      }
    });
  }
});
