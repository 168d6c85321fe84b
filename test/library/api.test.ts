import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  analyze,
  checkRuleFiles,
  EventStore,
  ingest,
  inputFromText,
  isForensicsError,
  loadRules,
  openInputs,
  parse,
  parseGoroutineDump,
  renderReport,
  runRules,
  type AnalyzeOptions,
  type ParsedRecord,
} from '../../src/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const realdata = path.resolve(repoRoot, '../shared/realdata');
const haveRealdata = existsSync(realdata);
if (!haveRealdata) console.warn(`test/library: ${realdata} missing, real-data tests skipped`);
const pvek8s = path.join(repoRoot, 'corpus/pvek8s-2026-05-28-power-outage');
// Reading on the calling thread: worker threads would load src/*.ts, which plain Node cannot (the
// built package is run with workers by test/library/examples.test.ts). Cast: older builds lack `jobs`.
const serial = { jobs: 1 } as AnalyzeOptions;

async function collect(it: AsyncIterable<ParsedRecord>): Promise<ParsedRecord[]> {
  const out: ParsedRecord[] = [];
  for await (const r of it) out.push(r);
  return out;
}

function syslogLines(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const s = i % 60;
    const m = Math.floor(i / 60) % 60;
    out.push(`May 28 10:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')} k8s02 kubelite[1234]: line ${i} of a long and boring log`);
  }
  return `${out.join('\n')}\n`;
}

describe('parse', () => {
  it('yields typed line records with line numbers and time quality, then the summary', async () => {
    const input = inputFromText('auth.log', readFileSync(path.join(repoRoot, 'examples/data/auth.log')), { host: 'combo' });
    expect(input.format).toBe('syslog');
    const recs = await collect(parse(input, { year: 2026 }));
    const lines = recs.filter((r) => r.type === 'line');
    expect(lines).toHaveLength(10);
    expect(lines[0].event).toMatchObject({ line: 1, quality: 'year-inferred', host: 'combo', program: 'sshd(pam_unix)' });
    expect(lines[9].event.line).toBe(10);
    const end = recs[recs.length - 1];
    expect(end.type).toBe('end');
    if (end.type === 'end') expect(end.summary).toMatchObject({ lines: 10, unparsed: 0, format: 'syslog', first: '2026-06-14T15:16:00.000Z' });
  });

  it('gives goroutine dumps as a dump record and buckets with counts, wait ranges and creators', async () => {
    const input = inputFromText('dump.txt', readFileSync(path.join(repoRoot, 'examples/data/kubelet-goroutines.txt')));
    const recs = await collect(parse(input));
    const dump = recs.find((r) => r.type === 'goroutine-dump');
    expect(dump).toMatchObject({ goroutines: 5, buckets: 3 });
    const buckets = recs.flatMap((r) => (r.type === 'goroutine-bucket' ? [r.bucket] : []));
    expect(buckets[0]).toMatchObject({ count: 3, state: 'select', waitMinutes: { min: 2, max: 33 }, ids: [17, 18, 19] });
    expect(buckets[0].createdBy).toMatchObject({ func: 'k8s.io/apimachinery/pkg/util/wait.(*Group).Start', goroutine: 1 });
  });

  it('reads gzip by content and keeps damage as line-numbered warnings', async () => {
    const text = `${syslogLines(5)}this is not syslog at all\n${syslogLines(2)}`;
    const recs = await collect(parse(inputFromText('syslog.1.gz', gzipSync(text))));
    const end = recs[recs.length - 1];
    expect(end.type === 'end' && end.summary).toMatchObject({ compression: 'gzip', lines: 8, unparsed: 1, warnings: [{ line: 6 }] });
  });

  it('pauses reading while the consumer is behind (backpressure)', async () => {
    const text = syslogLines(200_000); // ~16 MB: 16 read chunks
    const input = inputFromText('big.log', text);
    let bytesRead = 0;
    let seen = 0;
    let maxAhead = 0;
    for await (const r of parse(input, { highWaterMark: 100, onProgress: (p) => (bytesRead = p.bytesRead) })) {
      if (r.type !== 'line') continue;
      seen++;
      if (seen % 1000 === 0) await new Promise((res) => setImmediate(res));
      // Bytes read may run ahead of the consumer by about one chunk (1 MiB), never the whole input.
      maxAhead = Math.max(maxAhead, bytesRead - r.event.offset);
    }
    expect(seen).toBe(200_000);
    expect(maxAhead).toBeLessThan(3 * (1 << 20));
    expect(maxAhead).toBeGreaterThan(0);
  });

  it('stops reading when the loop is left early', async () => {
    const input = inputFromText('big.log', syslogLines(100_000));
    let bytesRead = 0;
    let n = 0;
    for await (const r of parse(input, { highWaterMark: 10, onProgress: (p) => (bytesRead = p.bytesRead) })) {
      if (r.type === 'line' && ++n === 5) break;
    }
    await new Promise((res) => setTimeout(res, 50));
    expect(bytesRead).toBeLessThan(input.size);
  });

  it('rejects with E_ABORTED when the signal fires, before or during reading', async () => {
    const input = inputFromText('big.log', syslogLines(50_000));
    await expect(collect(parse(input, { signal: AbortSignal.abort() }))).rejects.toMatchObject({ code: 'E_ABORTED' });
    const ctl = new AbortController();
    let n = 0;
    const run = async (): Promise<void> => {
      for await (const r of parse(input, { signal: ctl.signal, highWaterMark: 10 })) if (r.type === 'line' && ++n === 100) ctl.abort();
    };
    const err = await run().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(AbortedError);
    expect(n).toBe(100);
  });

  it('refuses handles it did not make, and binary content, with E_INPUT_UNREADABLE', async () => {
    const fake = { path: 'x', host: undefined, format: 'syslog', compression: 'none' as const, size: 0, mtime: new Date(), open: () => process.stdin };
    await expect(collect(parse(fake))).rejects.toMatchObject({ code: 'E_INPUT_UNREADABLE' });
    expect(() => inputFromText('core', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 0]))).toThrow(expect.objectContaining({ code: 'E_INPUT_UNREADABLE' }));
  });
});

describe.skipIf(!haveRealdata)('parse on real samples', () => {
  it('reads a real raw dmesg with relative (monotonic) times and a loghub syslog', async () => {
    const { inputs, skipped } = await openInputs([path.join(realdata, 'dmesg/dmesg-raw-iscsi-did-time-out-swap-read-error-6x.txt'), path.join(realdata, 'syslog/loghub-linux-2k.log.txt')]);
    expect(skipped).toEqual([]);
    expect(inputs.map((i) => i.format)).toEqual(['dmesg', 'syslog']);
    const dmesg = (await collect(parse(inputs[0]))).filter((r) => r.type === 'line');
    expect(dmesg.length).toBeGreaterThan(10);
    expect(dmesg[0].event.mono).toBeCloseTo(1926.637286, 6);
    const syslog = await collect(parse(inputs[1], { year: 2005 }));
    const end = syslog[syslog.length - 1];
    expect(end.type === 'end' && end.summary.lines).toBe(2000);
  });

  it('buckets a real Go 1.21+ dump with created-by goroutine links from a stream', async () => {
    const { createReadStream } = await import('node:fs');
    const dumps = await parseGoroutineDump(createReadStream(path.join(realdata, 'goroutine/gostackparse-go121_createdby.txt')));
    expect(dumps.length).toBeGreaterThan(0);
    expect(dumps[0].goroutines.some((g) => g.createdBy?.goroutine !== undefined)).toBe(true);
  });
});

describe('stages', () => {
  it('openInputs lists what it cannot read with the reason', async () => {
    const { inputs, skipped } = await openInputs([path.join(repoRoot, 'examples/data'), path.join(repoRoot, 'no-such-folder')]);
    expect(inputs.map((i) => i.format).sort()).toEqual(['goroutine', 'syslog']);
    expect(skipped).toHaveLength(1);
    expect(skipped[0].skipped).toBeTruthy();
  });

  it('ingest + runRules + renderReport run one custom rule, and checkRuleFiles reports bad rules', async () => {
    const ruleFile = path.join(repoRoot, 'examples/rules/ssh-bruteforce.yaml');
    const rules = await loadRules([ruleFile], { builtin: false });
    const { inputs } = await openInputs([path.join(repoRoot, 'examples/data/auth.log')]);
    const { store, coverage } = await ingest(inputs, rules, { year: 2026 });
    expect(store).toBeInstanceOf(EventStore);
    expect(store.query({ kind: 'ssh.auth_failure', host: 'combo' })).toHaveLength(8);
    const { findings } = runRules(store, rules, { coverage });
    expect(findings.map((f) => f.rule)).toEqual(['ssh-bruteforce']);
    expect(findings[0].entities).toMatchObject({ rhost: '203.0.113.7' });
    const checked = await checkRuleFiles([ruleFile]);
    expect(checked).toMatchObject({ errors: 0, checked: 2 });
    const bad = await checkRuleFiles([path.join(repoRoot, 'examples/data/auth.log')]);
    expect(bad.errors).toBeGreaterThan(0);
    await expect(loadRules([path.join(repoRoot, 'examples/data/auth.log')])).rejects.toMatchObject({ code: 'E_RULE_INVALID' });
  });
});

describe('analyze', () => {
  it('rejects with E_ABORTED soon after the signal fires mid-read', async () => {
    const ctl = new AbortController();
    let calls = 0;
    let abortedAt = 0;
    const started = Date.now();
    const err = await analyze([pvek8s], {
      ...serial,
      tz: 'Australia/Brisbane',
      signal: ctl.signal,
      onProgress: () => {
        if (++calls === 2) {
          abortedAt = Date.now();
          ctl.abort();
        }
      },
    }).then(() => null, (e: unknown) => e);
    expect(isForensicsError(err, 'E_ABORTED')).toBe(true);
    expect(err).toBeInstanceOf(AbortedError);
    expect(abortedAt).toBeGreaterThan(0);
    expect(Date.now() - abortedAt).toBeLessThan(1000);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('rejects an already aborted call without reading', async () => {
    let progress = 0;
    await expect(analyze([pvek8s], { ...serial, signal: AbortSignal.abort(), onProgress: () => progress++ })).rejects.toMatchObject({ code: 'E_ABORTED' });
    expect(progress).toBe(0);
  });

  it('reports progress in bytes and inputs, and renders every format', async () => {
    const seen: number[] = [];
    const report = await analyze([path.join(repoRoot, 'examples/data')], { ...serial, year: 2026, rules: [path.join(repoRoot, 'examples/rules/ssh-bruteforce.yaml')], onProgress: (p) => seen.push(p.inputsDone) });
    expect(seen[seen.length - 1]).toBe(2);
    expect(report.findings.some((f) => f.rule === 'ssh-bruteforce')).toBe(true);
    for (const f of ['text', 'markdown', 'html', 'json'] as const) expect(renderReport(report, f).length).toBeGreaterThan(100);
  });
});
