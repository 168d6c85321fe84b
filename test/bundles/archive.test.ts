import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { forEachMember, isTarHead } from '../../src/bundles/archive.js';
import { expandInputs } from '../../src/bundles/expand.js';
import { headLines } from '../../src/input/sniff.js';
import { detectFormat } from '../../src/parsers/registry.js';
import { memoryInput, type PlannedInput } from '../../src/pipeline/plan.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const realdata = resolve(repoRoot, '../shared/realdata');
const REAL_DMESG = resolve(realdata, 'dmesg/dmesg-raw-iscsi-did-time-out-swap-read-error-6x.txt');
const haveReal = existsSync(REAL_DMESG);
if (!haveReal) console.warn(`skipping real-sample archive tests: ${REAL_DMESG} not found`);

const MTIME = new Date('2026-05-28T11:30:00Z');

async function tar(members: Array<[string, Buffer | string]>): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((res) => p.on('end', () => res()));
  p.on('data', (c: unknown) => chunks.push(c as Buffer));
  p.entry({ name: 'bundle/', type: 'directory', mtime: MTIME });
  for (const [name, body] of members) p.entry({ name, mtime: MTIME }, typeof body === 'string' ? Buffer.from(body) : body);
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

const SYSLOG = Array.from({ length: 3000 }, (_, i) => `May 28 20:${String(10 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} k8s02 kernel: [ ${1000 + i}.000000] line ${i}`).join('\n') + '\n';

async function collect(archive: Buffer, compression: 'gzip' | 'none', rel = 'node.tgz'): Promise<{ members: Array<{ m: PlannedInput; body: Buffer }>; warnings: string[] }> {
  const members: Array<{ m: PlannedInput; body: Buffer }> = [];
  const warnings: string[] = [];
  await forEachMember(
    { rel, host: 'k8s02', open: () => Readable.from([archive.subarray(0, 1000), archive.subarray(1000)]), compression, mtime: new Date() },
    async (m) => {
      const chunks: Buffer[] = [];
      try {
        for await (const c of m.open() as AsyncIterable<Buffer>) chunks.push(c);
      } catch (err) {
        warnings.push(`member: ${(err as Error).message}`);
      }
      members.push({ m, body: Buffer.concat(chunks) });
    },
    (w) => warnings.push(w),
  );
  return { members, warnings };
}

describe('archive streaming', () => {
  it('recognises tar by ustar at 257', async () => {
    const t = await tar([['bundle/a.log', 'x\n']]);
    expect(isTarHead(t)).toBe(true);
    expect(isTarHead(Buffer.from(SYSLOG))).toBe(false);
  });

  it('plain tar: members with archive!/inner paths, header mtime, exact bytes (head re-prepended past 64 KiB)', async () => {
    const big = SYSLOG.repeat(3); // > 64 KiB: the peeked head and the rest must join exactly
    const { members, warnings } = await collect(await tar([['bundle/var/log/syslog', big], ['bundle/empty', '']]), 'none', 'k8s02/bundle.tar');
    expect(warnings).toEqual([]);
    expect(members).toHaveLength(1);
    const [{ m, body }] = members;
    expect(m.rel).toBe('k8s02/bundle.tar!/bundle/var/log/syslog');
    expect(m.host).toBe('k8s02');
    expect(m.size).toBe(big.length);
    expect(m.mtime.toISOString()).toBe(MTIME.toISOString());
    expect(body.equals(Buffer.from(big))).toBe(true);
    expect(detectFormat(headLines(m.sniffed))?.id).toBe('kern.log');
    expect(() => m.open()).toThrow(/only be read once/);
  });

  it('tgz with a nested .gz member: the member is sniffed as gzip and its text recognised', async () => {
    const t = gzipSync(await tar([['bundle/syslog.2.gz', gzipSync(SYSLOG)]]));
    const { members, warnings } = await collect(t, 'gzip');
    expect(warnings).toEqual([]);
    expect(members[0].m.sniffed.compression).toBe('gzip');
    expect(detectFormat(headLines(members[0].m.sniffed))?.id).toBe('kern.log');
  });

  it('onMember is awaited before the next entry is read (one member in flight)', async () => {
    const t = await tar([['bundle/a.log', SYSLOG], ['bundle/b.log', SYSLOG], ['bundle/c.log', SYSLOG]]);
    const log: string[] = [];
    await forEachMember(
      { rel: 'x.tar', open: () => Readable.from([t]), compression: 'none', mtime: new Date() },
      async (m) => {
        log.push(`start ${m.rel}`);
        await new Promise((r) => setTimeout(r, 5));
        for await (const _ of m.open()) void _;
        log.push(`end ${m.rel}`);
      },
      () => undefined,
    );
    expect(log).toEqual(['start x.tar!/bundle/a.log', 'end x.tar!/bundle/a.log', 'start x.tar!/bundle/b.log', 'end x.tar!/bundle/b.log', 'start x.tar!/bundle/c.log', 'end x.tar!/bundle/c.log']);
  });

  it('a member the consumer does not read is skipped, and the next one is intact', async () => {
    const t = await tar([['bundle/a.log', SYSLOG], ['bundle/b.log', 'second\n']]);
    const seen: string[] = [];
    await forEachMember(
      { rel: 'x.tar', open: () => Readable.from([t]), compression: 'none', mtime: new Date() },
      async (m) => {
        if (m.rel.endsWith('b.log')) for await (const c of m.open()) seen.push(String(c));
      },
      () => undefined,
    );
    expect(seen.join('')).toBe('second\n');
  });

  it('truncated tgz: a warning, members before the damage analysed, no temp files', async () => {
    const before = readdirSync(tmpdir()).length;
    const full = gzipSync(await tar([['bundle/first.log', SYSLOG], ['bundle/second.log', SYSLOG.repeat(20)]]));
    const { members, warnings } = await collect(full.subarray(0, Math.floor(full.length * 0.7)), 'gzip');
    expect(members[0].m.rel).toBe('node.tgz!/bundle/first.log');
    expect(members[0].body.toString()).toBe(SYSLOG);
    expect(warnings.some((w) => /archive truncated/.test(w))).toBe(true);
    expect(readdirSync(tmpdir()).length).toBe(before);
  });

  it('corrupt archive (garbage after the first member, or not tar at all): a warning, never a throw', async () => {
    const t = await tar([['bundle/first.log', SYSLOG], ['bundle/second.log', SYSLOG]]);
    const firstEnd = 512 + Math.ceil(SYSLOG.length / 512) * 512;
    const bad = Buffer.concat([t.subarray(0, firstEnd), Buffer.alloc(1024, 0x41)]);
    const r = await collect(bad, 'none');
    expect(r.members.map((x) => x.m.rel)).toEqual(['node.tgz!/bundle/first.log']);
    expect(r.warnings.length).toBeGreaterThan(0);
    const g = await collect(Buffer.from('\x1f\x8bnot really gzip at all'), 'gzip');
    expect(g.members).toEqual([]);
    expect(g.warnings.some((w) => /damaged|truncated/.test(w))).toBe(true);
  });

  it.skipIf(!haveReal)('real dmesg sample as a gzip member of a tgz is recognised as dmesg', async () => {
    const real = readFileSync(REAL_DMESG);
    const { members } = await collect(gzipSync(await tar([['inspection-report/apparmor/dmesg.gz', gzipSync(real)]])), 'gzip', 'inspection-report-20260528_213000.tar.gz');
    expect(members).toHaveLength(1);
    expect(members[0].body.equals(gzipSync(real))).toBe(true);
    expect(['dmesg', 'kernel-text']).toContain(detectFormat(headLines(members[0].m.sniffed))?.id);
  });

  it('expandInputs yields members in place of the archive and passes other inputs through', async () => {
    const t = gzipSync(await tar([['inspection-report/snap.microk8s.daemon-kubelite/journal.log', SYSLOG], ['inspection-report/args/kubelet', '--v=2\n']]));
    const warnings: string[] = [];
    const out: string[] = [];
    const planned = [memoryInput('k8s02/inspection-report-20260528_213000.tar.gz', t, 'k8s02'), memoryInput('k8s02/syslog', SYSLOG, 'k8s02')];
    for await (const p of expandInputs(planned, { warn: (rel, m) => warnings.push(`${rel}: ${m}`) })) {
      for await (const _ of p.open()) void _;
      out.push(`${p.rel} @${p.host}`);
    }
    expect(out).toEqual(['k8s02/inspection-report-20260528_213000.tar.gz!/inspection-report/snap.microk8s.daemon-kubelite/journal.log @k8s02', 'k8s02/syslog @k8s02']);
    expect(warnings).toEqual(['k8s02/inspection-report-20260528_213000.tar.gz: 1 member(s) the bundle layout marks as not logs were not read']);
  });
});
