import { createReadStream, statSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readAll, WorkerPool, type ReadTask } from '../../src/ingest/parallel.js';
import { adoptReader, earlyReaderCount, MIN_RANGE_BYTES, PARALLEL_MIN_BYTES, prestartReaders } from '../../src/ingest/reader-threads.js';
import { formatById } from '../../src/parsers/registry.js';
import { loadRules } from '../../src/rules/loader.js';
import { Classifier } from '../../src/rules/signatures.js';
import type { LoadedRule } from '../../src/rules/types.js';
import { CASCADE_KERN_LOG } from '../helpers.js';
import { tmpTree } from '../hostile/helpers.js';

/** Readers the CLI starts before its program loads, and how many it starts. */
describe('earlyReaderCount', () => {
  const files: Record<string, number[]> = { big: [2 * MIN_RANGE_BYTES], mid: [PARALLEL_MIN_BYTES], small: [1000], dir: [MIN_RANGE_BYTES, 1000], smalldir: [1000, 1000] };
  const count = (...argv: string[]): number => earlyReaderCount(argv, (p) => files[p] ?? [], 4);

  it('starts the readers --jobs asks for besides the main thread, for large inputs of analyze', () => {
    expect(count('analyze', 'big')).toBe(3);
    expect(count('analyze', 'dir', '--json')).toBe(3);
    expect(count('analyze', 'small', 'small', '--jobs', '2', 'big')).toBe(1);
    expect(count('analyze', '--jobs=6', 'dir')).toBe(5);
    // Two inputs large enough in all are read on two threads, one file only once it can be cut in two.
    expect(count('analyze', 'mid', 'small')).toBe(3);
  });

  it('starts none for small inputs, one job, other commands, help or a bad --jobs (the CLI reports it)', () => {
    expect(count('analyze', 'small', '--tz', 'Australia/Brisbane', '--year', '2026')).toBe(0);
    expect(count('analyze', 'mid')).toBe(0);
    expect(count('analyze', 'smalldir', 'small')).toBe(0);
    expect(count('analyze', 'big', '--jobs', '1')).toBe(0);
    expect(count('analyze', 'big', '--jobs', 'many')).toBe(0);
    expect(count('timeline', 'big')).toBe(0);
    expect(count('rules', 'list')).toBe(0);
    expect(count('analyze', 'big', '--help')).toBe(0);
    expect(count('analyze')).toBe(0);
  });
});

describe('prestarted readers', () => {
  let rules: LoadedRule[];
  beforeAll(async () => {
    rules = await loadRules([], { builtin: true });
  });

  it('are adopted by the worker pool, which sends them the rules, and read as new ones do', async () => {
    const dir = tmpTree({ 'k8s02/kern.log': CASCADE_KERN_LOG, 'k8s03/kern.log': CASCADE_KERN_LOG.replaceAll('k8s02', 'k8s03') });
    const kern = formatById('kern.log') ?? formatById('syslog')!;
    const tasks: ReadTask[] = ['k8s02', 'k8s03'].map((h) => {
      const abs = `${dir}/${h}/kern.log`;
      return { abs, open: () => createReadStream(abs), rel: `${h}/kern.log`, host: h, compression: 'none', eol: 0x0a, parser: kern, year: 2026, tz: 'UTC', size: statSync(abs).size };
    });
    const classifier = new Classifier(rules);
    const alone = await readAll(tasks, classifier, { jobs: 1, rules });

    prestartReaders(1);
    const pool = new WorkerPool(rules);
    try {
      const shared = await readAll(tasks, classifier, { jobs: 2, rules, pool });
      // The prestarted reader was taken: none is left to adopt.
      expect(adoptReader()).toBeUndefined();
      const events = (r: typeof alone): string[] => r.flatMap((x) => x.kept.map((e) => `${e.file}:${e.line} ${e.kind} ${e.ts}`));
      expect(events(shared)).toEqual(events(alone));
      expect(events(alone).length).toBeGreaterThan(0);
      expect(shared.map((r) => r.summary)).toEqual(alone.map((r) => r.summary));
    } finally {
      await pool.close();
    }
  });
});
