import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { formatInTimeZone } from 'date-fns-tz';
import { afterAll, describe, expect, it } from 'vitest';
import { makeWriter, monoStamp, ZoneClock, type FormatName } from '../tools/loggen/formats.js';
import { generateBenchLogs } from '../tools/loggen/generate.js';
import { makeHostProfile, NoiseGen } from '../tools/loggen/noise.js';
import { Rng } from '../tools/loggen/rng.js';
import { SIGNATURE_KINDS } from '../tools/loggen/signatures.js';
import { INCIDENTS, writeCorpus } from '../corpus/make.js';

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const realdata = resolve(repoRoot, '../shared/realdata');
const tmps: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'loggen-'));
  tmps.push(d);
  return d;
};
afterAll(() => {
  for (const d of tmps) rmSync(d, { recursive: true, force: true });
});

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}
function text(p: string): string {
  const b = readFileSync(p);
  return (p.endsWith('.gz') ? gunzipSync(b) : b).toString('utf8');
}
function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

// One regex per on-disk shape.
const SHAPES: Record<FormatName, RegExp> = {
  rfc3164: /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 1-3]\d \d\d:\d\d:\d\d [\w.-]+ [\w.()-]+(\[\d+\])?: /,
  rfc3339: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}[+-]\d\d:\d\d [\w.-]+ [\w.()-]+(\[\d+\])?: /,
  rfc5424: /^<\d{1,3}>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}(Z|[+-]\d\d:\d\d) [\w.-]+ [\w.()-]+ (\d+|-) - - /,
  'kern.log': /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 1-3]\d \d\d:\d\d:\d\d [\w.-]+ kernel: \[ *\d+\.\d{6}\] /,
  dmesg: /^\[ *\d+\.\d{6}\] /,
  'dmesg-T': /^\[(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 1-3]\d \d\d:\d\d:\d\d \d{4}\] /,
  'short-iso': /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} [\w.-]+ [\w.()-]+(\[\d+\])?: /,
  'short-precise': /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-3]\d \d\d:\d\d:\d\d\.\d{6} [\w.-]+ [\w.()-]+(\[\d+\])?: /,
  'journal-json': /^\{"__CURSOR":"s=[0-9a-f]+;i=[0-9a-f]+;b=[0-9a-f]{32};m=[0-9a-f]+;t=[0-9a-f]+;x=[0-9a-f]+","__REALTIME_TIMESTAMP":"\d{16}","__MONOTONIC_TIMESTAMP":"\d+",.*"MESSAGE":".*"\}$/,
  cri: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (stdout|stderr) [FP] /,
  plain: /^/,
};

describe('rng', () => {
  it('is deterministic and seed-dependent', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const xs = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 50 }, () => c.next())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Rng(1).hex(64)).toMatch(/^[0-9a-f]{64}$/);
    expect(new Rng(1).uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('formats', () => {
  it('ZoneClock agrees with formatInTimeZone, across DST changes', () => {
    const rng = new Rng(3);
    for (const tz of ['Australia/Brisbane', 'America/Chicago', 'Europe/Berlin', 'UTC']) {
      const clock = new ZoneClock(tz);
      const instants = [Date.UTC(2026, 2, 8, 7, 59, 59), Date.UTC(2026, 2, 8, 8, 0, 0), Date.UTC(2026, 10, 1, 6, 30), Date.UTC(2026, 2, 29, 1, 0)];
      for (let i = 0; i < 200; i++) instants.push(Date.UTC(2025, 11, 1) + Math.floor(rng.next() * 400 * 86_400_000));
      for (const ms of instants) {
        const p = clock.parts(ms * 1000 + 123);
        const got = `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}:${String(p.second).padStart(2, '0')}`;
        expect(got).toBe(formatInTimeZone(new Date(ms), tz, 'yyyy-MM-dd HH:mm:ss'));
      }
    }
  });

  it('renders known records exactly', () => {
    const ts = Date.UTC(2026, 4, 28, 10, 21, 4) * 1000 + 123456;
    const boot = ts - 1234_567_890;
    const rec = { ts, host: 'k8s02', program: 'microk8s.daemon-kubelite', pid: 2345, msg: 'hello\tworld' };
    const kern = { ts, host: 'k8s02', program: 'kernel', msg: 'EXT4-fs (sdb): Remounting filesystem read-only' };
    const tz = 'Australia/Brisbane';
    expect(makeWriter('rfc3164', { tz })(rec)).toBe('May 28 20:21:04 k8s02 microk8s.daemon-kubelite[2345]: hello#011world');
    expect(makeWriter('rfc3164', { tz })({ ...rec, ts: ts - 20 * 86_400_000_000 })).toBe('May  8 20:21:04 k8s02 microk8s.daemon-kubelite[2345]: hello#011world');
    expect(makeWriter('rfc3339', { tz })(rec)).toBe('2026-05-28T20:21:04.123456+10:00 k8s02 microk8s.daemon-kubelite[2345]: hello#011world');
    expect(makeWriter('rfc5424', {})(rec)).toBe('<30>1 2026-05-28T10:21:04.123456Z k8s02 microk8s.daemon-kubelite 2345 - - hello#011world');
    expect(makeWriter('kern.log', { tz, bootTs: boot })(kern)).toBe('May 28 20:21:04 k8s02 kernel: [ 1234.567890] EXT4-fs (sdb): Remounting filesystem read-only');
    expect(makeWriter('kern.log', { tz, bootTs: boot, mono: false })(kern)).toBe('May 28 20:21:04 k8s02 kernel: EXT4-fs (sdb): Remounting filesystem read-only');
    expect(makeWriter('dmesg', { bootTs: boot })(kern)).toBe('[ 1234.567890] EXT4-fs (sdb): Remounting filesystem read-only');
    expect(makeWriter('dmesg-T', { tz })(kern)).toBe('[Thu May 28 20:21:04 2026] EXT4-fs (sdb): Remounting filesystem read-only');
    expect(makeWriter('short-iso', { tz })(rec)).toBe('2026-05-28T20:21:04+1000 k8s02 microk8s.daemon-kubelite[2345]: hello\tworld');
    expect(makeWriter('short-precise', { tz })({ ...rec, ts: ts - 20 * 86_400_000_000 })).toBe('May 08 20:21:04.123456 k8s02 microk8s.daemon-kubelite[2345]: hello\tworld');
    expect(makeWriter('cri')(rec)).toBe('2026-05-28T10:21:04.123456000Z stdout F hello\tworld');
    const j = JSON.parse(makeWriter('journal-json', { bootTs: boot })(rec)) as Record<string, string>;
    expect(j.__REALTIME_TIMESTAMP).toBe(String(ts));
    expect(j.__MONOTONIC_TIMESTAMP).toBe('1234567890');
    expect(j._HOSTNAME).toBe('k8s02');
    expect(j.SYSLOG_IDENTIFIER).toBe('microk8s.daemon-kubelite');
    expect(j._PID).toBe('2345');
    expect(j.MESSAGE).toBe('hello\tworld');
    expect(monoStamp(5)).toBe('[    0.000005]');
  });

  it('every noise line rendered in every format matches that format', () => {
    const rng = new Rng(11);
    const start = Date.UTC(2026, 2, 7, 12) * 1000;
    const gen = new NoiseGen(rng, makeHostProfile(rng.fork('p'), 'node-1', 'America/Chicago', ['node-1', 'node-2'], start - 3600e6));
    const fmts = Object.keys(SHAPES).filter((f) => f !== 'plain') as FormatName[];
    const writers = fmts.map((f) => makeWriter(f, { tz: 'America/Chicago', bootTs: start - 3600e6 }));
    let ts = start;
    for (let i = 0; i < 3000; i++) {
      ts += rng.int(1, 60_000_000);
      const rec = gen.next(ts);
      expect(rec.msg.includes('\n')).toBe(false);
      fmts.forEach((f, k) => {
        const line = writers[k]!(rec);
        if (!SHAPES[f].test(line)) throw new Error(`${f}: ${line}`);
      });
    }
  });

  it.skipIf(!existsSync(realdata))('our dmesg and RFC 3164 shapes accept real lines', () => {
    const raw = readFileSync(join(realdata, 'dmesg/dmesg-raw-iscsi-lio-loopback-swap-ioerror-6x.txt'), 'utf8').split('\n').filter(Boolean);
    for (const l of raw) expect(l).toMatch(SHAPES.dmesg);
    const sys = readFileSync(join(realdata, 'syslog/loghub-openssh-2k.log.txt'), 'utf8').split(/\r?\n/).filter(Boolean);
    for (const l of sys) expect(l).toMatch(SHAPES.rfc3164);
  });
  if (!existsSync(realdata)) console.warn(`loggen.test: ${realdata} missing; real-line shape check skipped`);
});

describe('generateBenchLogs', () => {
  it('is deterministic: same seed, same bytes; other seed, other bytes', async () => {
    const [a, b, c] = [tmp(), tmp(), tmp()];
    await generateBenchLogs({ dir: a, sizeBytes: 2_000_000, seed: 5 });
    await generateBenchLogs({ dir: b, sizeBytes: 2_000_000, seed: 5 });
    await generateBenchLogs({ dir: c, sizeBytes: 2_000_000, seed: 6 });
    const h = (d: string): Record<string, string> => Object.fromEntries(walk(d).map((p) => [relative(d, p), sha(readFileSync(p))]));
    expect(h(b)).toEqual(h(a));
    expect(h(c)).not.toEqual(h(a));
  });

  for (const gzip of [false, true]) {
    for (const layout of ['folder', 'single'] as const) {
      it(`plants the signatures it reports and respects size (${layout}${gzip ? ', gzip' : ''})`, async () => {
        const dir = tmp();
        const size = 6_000_000;
        const res = await generateBenchLogs({ dir, sizeBytes: size, seed: 9, signatureEvery: 1500, gzip, layout });
        const files = walk(dir);
        expect(files.map((p) => relative(dir, p)).sort()).toEqual(res.files.map((f) => f.path).sort());
        let bytes = 0;
        let lines = 0;
        const counts: Record<string, number> = {};
        for (const p of files) {
          const t = text(p);
          bytes += Buffer.byteLength(t);
          const ls = t.split('\n');
          expect(ls.pop()).toBe('');
          lines += ls.length;
          const rel = relative(dir, p);
          const shape = rel.includes('kern.log') ? SHAPES['kern.log'] : rel.includes('dmesg') ? SHAPES.dmesg : rel.includes('.json') ? SHAPES['journal-json'] : SHAPES.rfc3164;
          const json = rel.includes('.json');
          // Journal JSON escapes quotes: compare against the decoded MESSAGE.
          const msgs = json ? ls.map((l) => (JSON.parse(l) as { MESSAGE: string }).MESSAGE) : ls;
          ls.forEach((l, i) => {
            if (!shape.test(l)) throw new Error(`${rel}: ${l}`);
            for (const k of SIGNATURE_KINDS) if (msgs[i]!.includes(k.literal)) counts[k.kind] = (counts[k.kind] ?? 0) + 1;
          });
          for (const pl of res.planted.filter((x) => x.file === rel)) expect(msgs[pl.line - 1]).toContain(pl.text);
        }
        expect(Math.abs(bytes - size) / size).toBeLessThan(0.05);
        expect(bytes).toBe(res.bytes);
        expect(lines).toBe(res.lines);
        expect(counts).toEqual(res.signatures);
        expect(Object.keys(res.signatures).length).toBe(SIGNATURE_KINDS.length);
        const planted = Object.values(res.signatures).reduce((x, y) => x + y, 0);
        expect(planted).toBe(res.planted.length);
        // About one planting per `signatureEvery` lines (kernel kinds are copied into several files).
        expect(planted).toBeGreaterThanOrEqual(Math.floor(lines / 1500) - 1);
      });
    }
  }
});

describe('corpus', () => {
  const corpusDir = resolve(repoRoot, 'corpus');

  it('on disk equals what corpus/make.ts generates', () => {
    const out = tmp();
    const written = writeCorpus(out);
    const onDisk = walk(corpusDir)
      .map((p) => relative(corpusDir, p))
      .filter((p) => INCIDENTS.some((i) => p.startsWith(`${i}/`)) && !p.endsWith('README.md'))
      .sort();
    expect(onDisk).toEqual(written);
    for (const rel of written) {
      const a = text(join(out, rel));
      const b = text(join(corpusDir, rel));
      if (sha(Buffer.from(a)) !== sha(Buffer.from(b))) throw new Error(`corpus drifted from its generator: ${rel} (run npx tsx corpus/make.ts)`);
    }
    const total = written.reduce((s, rel) => s + statSync(join(corpusDir, rel)).size, 0);
    expect(total).toBeLessThan(16_000_000);
    for (const inc of INCIDENTS) expect(existsSync(join(corpusDir, inc, 'README.md'))).toBe(true);
  });

  it('expected.json files have the documented shape', () => {
    for (const inc of INCIDENTS) {
      const e = JSON.parse(readFileSync(join(corpusDir, inc, 'expected.json'), 'utf8')) as {
        description: string; options: { tz: string; year: number }; findings: Array<{ rule: string; hosts: string[]; entities: object; start?: string }>; absent: string[];
      };
      expect(typeof e.description).toBe('string');
      expect(typeof e.options.tz).toBe('string');
      expect(e.options.year).toBe(2026);
      for (const f of e.findings) {
        expect(f.rule).toMatch(/^[a-z0-9-]+$/);
        expect(f.hosts.length).toBeGreaterThan(0);
        for (const h of f.hosts) expect(existsSync(join(corpusDir, inc, h))).toBe(true);
        if (f.start) expect(Number.isNaN(Date.parse(f.start))).toBe(false);
        expect(e.absent).not.toContain(f.rule);
      }
    }
  });

  it('pvek8s: PIR evidence is where the PIR says, dmesg and kern.log agree on mono stamps', () => {
    const d = join(corpusDir, 'pvek8s-2026-05-28-power-outage');
    const s2 = text(join(d, 'k8s02/syslog.2.gz'));
    expect(s2.match(/^May 28 20:21:04 k8s02 .*taint_eviction\.go:111\] "Deleting pod" controller="taint-eviction-controller" pod="openebs\/pvc-[0-9a-f-]+-jiva-ctrl-/gm)?.length).toBe(6);
    expect(s2).toMatch(/^May 28 20:21:03 k8s02 .*controller\.go:667\] quota admission added evaluator for: daemonsets\.apps$/m);
    expect(s2.match(/kine\.sock:12379: use of closed network connection/g)?.length).toBe(4);
    const kern = text(join(d, 'k8s02/kern.log')).split('\n');
    const dmesg = text(join(d, 'k8s02/dmesg')).split('\n').filter(Boolean);
    const kmap = new Map<string, string[]>();
    for (const l of kern) {
      const m = /kernel: (\[ *\d+\.\d{6}\]) (.*)$/.exec(l);
      if (m) kmap.set(m[2]!, [...(kmap.get(m[2]!) ?? []), m[1]!]);
    }
    let checked = 0;
    for (const l of dmesg) {
      const m = /^(\[ *\d+\.\d{6}\]) (.*)$/.exec(l)!;
      if (/session recovery timed out|Remounting filesystem read-only|link becomes ready|Attached SCSI disk/.test(m[2]!)) {
        expect(kmap.get(m[2]!)).toContain(m[1]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(6);
    expect(dmesg[0]).toMatch(/^\[    0\.000000\] Linux version 6\.8\.0-/);
    const j = text(join(d, 'k8s03/kubelite.journal'));
    expect(j.match(/^2026-05-28T21:20:13\+1000 k8s03 microk8s\.daemon-kubelite\[\d+\]: goroutine \d+ \[select, 33 minutes\]:\n.*processorListener\)\.pop/gm)?.length).toBe(14);
    expect(j.match(/WaitForAttachAndMount\(0x/g)?.length).toBe(8); // operationexecutor + volumemanager frames, 4 goroutines
    let lines = 0;
    for (const p of walk(d)) if (!p.endsWith('.md') && !p.endsWith('.json')) lines += text(p).split('\n').length - 1;
    expect(lines).toBeGreaterThan(50_000);
  });
});
