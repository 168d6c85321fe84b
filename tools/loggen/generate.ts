/**
 * Bench log generator: writes a mixed multi-host folder of realistic logs of about a given size,
 * streaming (output never held in memory), with one incident signature line about every
 * `signatureEvery` lines.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { createGzip, constants as zc, type Gzip } from 'node:zlib';
import { makeWriter, monoStamp, ZoneClock, type LogRecord, type Writer } from './formats.js';
import { NoiseGen, makeHostProfile, PROG } from './noise.js';
import { Rng } from './rng.js';
import { SIGNATURE_KINDS } from './signatures.js';

/** Options of {@link generateBenchLogs}. */
export interface BenchOptions {
  /** Output folder (created). */
  dir: string;
  /** Target total size in bytes, uncompressed (the result is within a few percent). */
  sizeBytes: number;
  /** PRNG seed (default 1). */
  seed?: number;
  /** Plant one signature line about every this many lines (default 50,000). */
  signatureEvery?: number;
  /** gzip every file (`.gz` suffix; size still counts uncompressed bytes). */
  gzip?: boolean;
  /**
   * `folder`: `<host>/syslog`, `<host>/kern.log`, `<host>/kubelite.json` (journal JSON), `<host>/dmesg`
   * for three hosts. `single`: one RFC 3164 `syslog` holding all hosts' lines (kernel lines included).
   */
  layout?: 'single' | 'folder';
  /** Zone of the zone-less formats (default Australia/Brisbane). */
  tz?: string;
  /** First line's time, UTC µs (default 2026-05-27T14:00:00Z). */
  startTs?: number;
}

/** One planted signature line. */
export interface PlantedSignature {
  kind: string;
  /** File relative to `dir`. */
  file: string;
  /** 1-based line number in the (decompressed) file. */
  line: number;
  text: string;
}

/** One output file. */
export interface BenchFile {
  /** Path relative to `dir`. */
  path: string;
  lines: number;
  /** Uncompressed bytes. */
  bytes: number;
}

/** What {@link generateBenchLogs} wrote. */
export interface BenchResult {
  files: BenchFile[];
  lines: number;
  /** Uncompressed bytes. */
  bytes: number;
  /** Planted signature lines per kind. */
  signatures: Record<string, number>;
  planted: PlantedSignature[];
  /** Wall time in milliseconds. */
  elapsedMs: number;
}

const CHUNK = 1 << 20;

/** One output file: lines are encoded straight into 1 MiB buffers handed to the stream when full. */
class Sink {
  lines = 0;
  bytes = 0;
  private buf = Buffer.allocUnsafe(CHUNK);
  private off = 0;
  private blocked = false;
  private readonly out: WriteStream;
  private readonly gz: Gzip | null;

  constructor(
    readonly rel: string,
    abs: string,
    gzip: boolean,
    private readonly write: Writer,
  ) {
    mkdirSync(dirname(abs), { recursive: true });
    this.out = createWriteStream(abs, { highWaterMark: 8 << 20 });
    this.gz = gzip ? createGzip({ level: 1, strategy: zc.Z_DEFAULT_STRATEGY, chunkSize: 1 << 18 }) : null;
    if (this.gz) this.gz.pipe(this.out);
  }

  /** Appends one record; returns the 1-based line number. */
  push(rec: LogRecord): number {
    const s = this.write(rec);
    // Worst case 3 bytes per UTF-16 unit; lines longer than a chunk get a buffer of their own.
    const need = s.length * 3 + 1;
    if (this.off + need > this.buf.length) {
      this.rotate();
      if (need > this.buf.length) this.buf = Buffer.allocUnsafe(need);
    }
    this.off += this.buf.write(s, this.off, 'utf8');
    this.buf[this.off++] = 10;
    return ++this.lines;
  }

  get approxBytes(): number {
    return this.bytes + this.off;
  }

  private rotate(): void {
    if (this.off === 0) return;
    const full = this.buf.subarray(0, this.off);
    this.bytes += this.off;
    this.buf = Buffer.allocUnsafe(CHUNK);
    this.off = 0;
    if (!(this.gz ?? this.out).write(full)) this.blocked = true;
  }

  /** Waits until the stream has room again, if it asked us to. */
  async drain(): Promise<void> {
    if (!this.blocked) return;
    this.blocked = false;
    const target = this.gz ?? this.out;
    if (target.writableNeedDrain) await new Promise<void>((res) => target.once('drain', () => res()));
  }

  async close(): Promise<void> {
    this.rotate();
    await this.drain();
    await new Promise<void>((res, rej) => {
      this.out.once('finish', () => res());
      this.out.once('error', rej);
      if (this.gz) this.gz.end();
      else this.out.end();
    });
  }
}

interface HostSinks {
  syslog: Sink;
  kern?: Sink;
  journal?: Sink;
  dmesg?: Sink;
}

/**
 * Writes realistic multi-host logs of about `sizeBytes` into `dir` and reports the signature lines
 * it planted. Deterministic: the same options give the same bytes.
 */
export async function generateBenchLogs(opts: BenchOptions): Promise<BenchResult> {
  const t0 = Date.now();
  const seed = opts.seed ?? 1;
  const every = Math.max(1, opts.signatureEvery ?? 50_000);
  const layout = opts.layout ?? 'folder';
  const tz = opts.tz ?? 'Australia/Brisbane';
  const gz = opts.gzip ?? false;
  const sfx = gz ? '.gz' : '';
  const rng = new Rng(seed);
  const hosts = ['k8s01', 'k8s02', 'k8s03'];
  let ts = opts.startTs ?? Date.UTC(2026, 4, 27, 14, 0, 0) * 1000;
  const clock = new ZoneClock(tz);

  const gens = hosts.map((h, i) => {
    const boot = ts - (3600 + i * 977) * 1_000_000;
    return new NoiseGen(rng.fork(h), makeHostProfile(rng.fork(`${h}/profile`), h, tz, hosts, boot));
  });
  const sinks: HostSinks[] = [];
  const all: Sink[] = [];
  const mk = (rel: string, w: Writer): Sink => {
    const s = new Sink(rel, join(opts.dir, rel), gz, w);
    all.push(s);
    return s;
  };
  if (layout === 'single') {
    const s = mk(`syslog${sfx}`, makeWriter('rfc3164', { tz }));
    for (let i = 0; i < hosts.length; i++) sinks.push({ syslog: s });
  } else {
    hosts.forEach((h, i) => {
      const g = gens[i] as NoiseGen;
      const bootTs = g.profile.bootTs;
      sinks.push({
        syslog: mk(`${h}/syslog${sfx}`, makeWriter('rfc3164', { tz })),
        kern: mk(`${h}/kern.log${sfx}`, makeWriter('kern.log', { tz, bootTs })),
        journal: mk(`${h}/kubelite.json${sfx}`, makeWriter('journal-json', { tz, bootTs, bootId: rng.hex(32), machineId: rng.hex(32) })),
        dmesg: mk(`${h}/dmesg${sfx}`, makeWriter('dmesg', { bootTs })),
      });
    });
  }

  const signatures: Record<string, number> = {};
  const planted: PlantedSignature[] = [];
  let lines = 0;
  let sigIdx = 0;
  let nextSig = Math.floor(every / 2);
  const total = (): number => all.reduce((a, s) => a + s.approxBytes, 0);

  // Routes one record to the files of its host; returns [sink, line] of its first copy.
  const route = (hi: number, rec: LogRecord): Array<[Sink, number]> => {
    const hs = sinks[hi] as HostSinks;
    const out: Array<[Sink, number]> = [];
    if (rec.program === 'kernel') {
      const bootTs = (gens[hi] as NoiseGen).profile.bootTs;
      out.push([hs.syslog, hs.syslog.push({ ...rec, msg: `${monoStamp(rec.ts - bootTs)} ${rec.msg}` })]);
      if (hs.kern) out.push([hs.kern, hs.kern.push(rec)]);
      if (hs.dmesg) out.push([hs.dmesg, hs.dmesg.push(rec)]);
    } else {
      out.push([hs.syslog, hs.syslog.push(rec)]);
      if (hs.journal && (rec.program === PROG.kubelite || rec.program === PROG.containerd || rec.program === PROG.dqlite)) {
        out.push([hs.journal, hs.journal.push(rec)]);
      }
    }
    lines += out.length;
    return out;
  };

  let done = false;
  while (!done) {
    for (let k = 0; k < 256; k++) {
      ts += 1 + Math.floor(rng.next() * 9000);
      const hi = Math.floor(rng.next() * hosts.length);
      const g = gens[hi] as NoiseGen;
      route(hi, g.next(ts));
      if (lines >= nextSig) {
        nextSig += every;
        const kind = SIGNATURE_KINDS[sigIdx++ % SIGNATURE_KINDS.length]!;
        ts += 1;
        const msg = kind.build({ rng, clock, ts, kubelitePid: g.profile.pids.kubelite });
        const rec: LogRecord = kind.kernel
          ? { ts, host: g.profile.host, program: 'kernel', msg, priority: 3 }
          : { ts, host: g.profile.host, program: PROG.kubelite, pid: g.profile.pids.kubelite, msg, priority: 3, unit: 'snap.microk8s.daemon-kubelite.service' };
        for (const [s, line] of route(hi, rec)) {
          planted.push({ kind: kind.kind, file: s.rel, line, text: msg });
          signatures[kind.kind] = (signatures[kind.kind] ?? 0) + 1;
        }
      }
    }
    for (const s of all) await s.drain();
    if (total() >= opts.sizeBytes) done = true;
  }
  await Promise.all(all.map((s) => s.close()));
  const files = [...new Set(all)].map((s) => ({ path: s.rel, lines: s.lines, bytes: s.bytes }));
  return {
    files,
    lines: files.reduce((a, f) => a + f.lines, 0),
    bytes: files.reduce((a, f) => a + f.bytes, 0),
    signatures,
    planted,
    elapsedMs: Date.now() - t0,
  };
}
