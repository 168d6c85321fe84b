import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expandInputs } from '../../src/bundles/expand.js';
import { runRules } from '../../src/correlators/engine.js';
import type { Finding, InputSummary } from '../../src/model/report.js';
import { ingestInputs } from '../../src/pipeline/ingest.js';
import { memoryInput, planInputs, type PlannedInput } from '../../src/pipeline/plan.js';
import { compareFindings, type Difference, type Expected } from '../../src/regress/expected.js';
import { loadRules } from '../../src/rules/loader.js';
import { Classifier } from '../../src/rules/signatures.js';

/**
 * Runs one corpus incident through expandInputs (archives, dumps) and the pipeline, as the lead's
 * wiring will: members are read one at a time (buffered here because ingestInputs takes an array).
 */
export async function runIncident(dir: string): Promise<{ findings: Finding[]; differences: Difference[]; inputs: InputSummary[]; warnings: Array<[string, string]> }> {
  const expected = JSON.parse(await readFile(join(dir, 'expected.json'), 'utf8')) as Expected;
  const rules = await loadRules([]);
  const { planned, skipped } = await planInputs([dir]);
  const warnings: Array<[string, string]> = [];
  const inputs: PlannedInput[] = [];
  for await (const p of expandInputs(planned, { warn: (rel, m) => warnings.push([rel, m]) })) {
    const chunks: Buffer[] = [];
    try {
      for await (const c of p.open() as AsyncIterable<Buffer>) chunks.push(c);
    } catch (err) {
      warnings.push([p.rel, `read: ${(err as Error).message}`]);
    }
    const m = memoryInput(p.rel, Buffer.concat(chunks), p.host, p.mtime);
    inputs.push({ ...m, sniffed: p.sniffed.binary ? p.sniffed : m.sniffed });
  }
  const opts = (expected.options ?? {}) as { tz?: string; year?: number };
  const ing = await ingestInputs(inputs, new Classifier(rules), { tz: opts.tz, year: opts.year });
  const { findings } = runRules(ing.store, rules, { coverage: ing.coverage });
  return { findings, differences: compareFindings(expected, findings), inputs: [...skipped, ...ing.inputs], warnings };
}
