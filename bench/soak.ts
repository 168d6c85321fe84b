/**
 * Soak test (by hand, never in CI): the analyzer over a folder of mixed, broken logs several GB in
 * total must finish with bounded memory.
 *
 *   npx tsx bench/soak.ts --size 4G [--max-rss 1024] [--keep] [--dist] [--dir /big/tmp]
 *
 * Generates, in a temp folder: large syslog / kern.log files with NUL blocks, invalid UTF-8, control
 * bytes, CR-only sections and overlong lines; gzip files (whole, concatenated members, truncated);
 * a file with no newline at all; binaries (ELF, journal, random); a few thousand small files; and
 * the iSCSI cascade of the 2026-05-28 incident so that the run has findings. Runs
 * `forensics analyze --json` as a child, samples its RSS (/proc/<pid>/status) every 200 ms, prints
 * the peak and a timeline, deletes the folder, and exits 1 when the peak exceeds --max-rss MB or
 * the child failed.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, type Dirent, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGzip, gzipSync } from 'node:zlib';
import { once } from 'node:events';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = process.argv[i + 1];
  return v === undefined || v.startsWith('--') ? 'true' : v;
}

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(s.trim());
  if (!m) throw new Error(`--size ${s}: expected a size such as 500M, 2G or 4G`);
  const mult = { '': 1, k: 1 << 10, m: 1 << 20, g: 1 << 30, t: 2 ** 40 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.round(Number(m[1]) * mult);
}

const total = parseSize(arg('size', '2G')!);
const maxRss = Number(arg('max-rss', '1024'));
const keep = arg('keep') === 'true';
const useDist = arg('dist') === 'true';
const base = arg('dir', tmpdir())!;

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const PROGRAMS = ['kubelet[2345]', 'containerd[880]', 'systemd[1]', 'iscsid[612]', 'sshd[9912]', 'kernel'];
/** Ordinary chatter: what most of a node's log is. */
const MESSAGES = [
  'I0528 20:21:04.123456    2345 reconciler.go:224] operationExecutor.VerifyControllerAttachedVolume started for volume "pvc-1234"',
  'level=info msg="StartContainer for \\"abc\\" returns successfully"',
  'Started Session 12 of User ubuntu.',
  'Accepted publickey for ubuntu from 10.0.0.5 port 51234 ssh2',
  'cni0: port 3(veth1234) entered forwarding state',
];
/** Lines the rule pack classifies: rare, as in real logs (one in HIT_EVERY). */
const HITS = ['connection1:0: detected conn error (1020)', 'E0528 20:21:04.123456    2345 pod_workers.go:1298] "Error syncing pod, skipping" err="failed to \\"StartContainer\\""'];
const HIT_EVERY = 20_000;

/** A syslog-style block of about `bytes` bytes starting at second `t0` of the day; returns text and the next second. */
function block(host: string, t0: number, bytes: number, seed: number): { text: string; t: number } {
  const parts: string[] = [];
  let size = 0;
  let t = t0;
  let i = seed;
  while (size < bytes) {
    const day = 28 + Math.floor(t / 86400);
    const s = t % 86400;
    const stamp = `${MONTHS[4 + Math.floor((day - 1) / 31)]} ${two(((day - 1) % 31) + 1)} ${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
    for (let k = 0; k < 20 && size < bytes; k++, i++) {
      const msg = i % HIT_EVERY === 0 ? HITS[(i / HIT_EVERY) % HITS.length] : MESSAGES[(i * 7) % MESSAGES.length];
      const line = `${stamp} ${host} ${PROGRAMS[i % PROGRAMS.length]}: ${msg} seq=${i}\n`;
      parts.push(line);
      size += line.length;
    }
    t++;
  }
  return { text: parts.join(''), t };
}

async function write(ws: WriteStream, chunk: string | Buffer): Promise<void> {
  if (!ws.write(chunk)) await once(ws, 'drain');
}

async function close(ws: WriteStream): Promise<void> {
  ws.end();
  await once(ws, 'finish');
}

/** A large text log with damage sprinkled in: NUL blocks, bad UTF-8, control bytes, overlong lines. */
async function brokenText(path: string, host: string, bytes: number, gzip: false | 'whole' | 'truncated'): Promise<void> {
  const file = createWriteStream(path);
  const gz = gzip ? createGzip({ level: 1 }) : null;
  if (gz) gz.pipe(file);
  const out = (gz ?? file) as unknown as WriteStream;
  let t = 0;
  let written = 0;
  let n = 0;
  while (written < bytes) {
    const b = block(host, t, 4 << 20, n * 1000);
    t = b.t;
    await write(out, b.text);
    written += b.text.length;
    n++;
    // Every few MB some damage of the kind a power cut or a bad writer leaves.
    switch (n % 8) {
      case 1:
        await write(out, Buffer.alloc(4096)); // a lost block: NULs
        break;
      case 3:
        await write(out, Buffer.from(`May 28 20:00:00 ${host} app[1]: bad \xff\xfe\xc3\x28 utf8 \x01\x02\x1b[0m\n`, 'latin1'));
        break;
      case 5:
        await write(out, `May 28 20:00:00 ${host} app[1]: ${'x'.repeat(3 << 20)}\n`); // overlong line
        written += 3 << 20;
        break;
      case 7:
        await write(out, `half a line without its end\rMay 28 20:00:00 ${host} app[1]: after a CR\r\n`);
        break;
    }
  }
  if (gz) {
    if (gzip === 'truncated') {
      // Stop mid-stream: flush what is compressed so far and never write the trailer.
      gz.flush();
      await new Promise((r) => setTimeout(r, 50));
      gz.unpipe(file);
      gz.destroy();
      await close(file);
      const size = statSync(path).size;
      writeFileSync(path, readFileSync(path).subarray(0, Math.max(0, size - 12345)));
      return;
    }
    gz.end();
    await once(file, 'finish');
  } else {
    await close(file);
  }
}

async function generate(root: string): Promise<void> {
  const hosts = ['k8s01', 'k8s02', 'k8s03', 'k8s04'];
  const share = (f: number): number => Math.max(1 << 20, Math.floor(total * f));
  const jobs: Array<Promise<void>> = [];
  for (const h of hosts) {
    mkdirSync(join(root, h), { recursive: true });
    jobs.push(brokenText(join(root, h, 'syslog'), h, share(0.15), false));
    jobs.push(brokenText(join(root, h, 'kern.log.1'), h, share(0.05), false));
    jobs.push(brokenText(join(root, h, 'syslog.2.gz'), h, share(0.03), 'whole'));
    jobs.push(brokenText(join(root, h, 'syslog.3.gz'), h, share(0.01), 'truncated'));
  }
  await Promise.all(jobs);
  const h = join(root, 'k8s02');
  // The incident, so that the run correlates something.
  const cascade = readFileSync(join(repoRoot, 'test/helpers.ts'), 'utf8').match(/'May 28 [^']+'/g)?.map((s) => s.slice(1, -1)).join('\n') ?? '';
  writeFileSync(join(h, 'kern.log'), `${cascade}\n`);
  // Concatenated gzip members, trailing garbage, a file without a single newline.
  writeFileSync(join(h, 'members.gz'), Buffer.concat([gzipSync(block('k8s02', 0, 1 << 20, 1).text), gzipSync(block('k8s02', 100, 1 << 20, 2).text)]));
  writeFileSync(join(h, 'garbage.gz'), Buffer.concat([gzipSync(block('k8s02', 0, 1 << 20, 3).text), Buffer.from('trailing garbage')]));
  const nl = createWriteStream(join(h, 'no-newline.log'));
  await write(nl, 'May 28 20:21:00 k8s02 app[1]: ');
  const chunk = Buffer.alloc(1 << 20, 0x71);
  for (let i = 0, n = Math.max(1, Math.floor(share(0.02) / (1 << 20))); i < n; i++) await write(nl, chunk);
  await close(nl);
  // Binaries a collector sweeps up.
  writeFileSync(join(h, 'core.kubelet.2345'), Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(8 << 20, 1)]));
  writeFileSync(join(h, 'system.journal'), Buffer.concat([Buffer.from('LPKSHHRH'), Buffer.alloc(8 << 20)]));
  writeFileSync(join(h, 'random.bin'), Buffer.from(Array.from({ length: 1 << 20 }, (_, i) => (i * 2654435761) >>> 24)));
  writeFileSync(join(h, 'empty.log'), '');
  // Many small files (container logs of short-lived pods).
  const small = join(root, 'k8s03', 'pods');
  mkdirSync(small, { recursive: true });
  for (let i = 0; i < 3000; i++) writeFileSync(join(small, `pod-${i}.log`), block('k8s03', i, 600, i).text);
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function duSize(dir: string): number {
  let n = 0;
  const walk = (d: string): void => {
    for (const e of (readdirSyncSafe(d) ?? [])) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) n += statSync(p).size;
    }
  };
  walk(dir);
  return n;
}

function readdirSyncSafe(d: string): Dirent[] | undefined {
  try {
    return readdirSync(d, { withFileTypes: true });
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  const root = mkdtempSync(join(base, 'forensics-soak-'));
  const cleanup = (): void => {
    if (!keep) rmSync(root, { recursive: true, force: true });
  };
  process.on('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  try {
    let t = performance.now();
    await generate(root);
    const bytes = duSize(root);
    console.log(`generated ${(bytes / 2 ** 30).toFixed(2)} GiB on disk in ${((performance.now() - t) / 1000).toFixed(1)} s under ${root}`);

    const entry = useDist ? [join(repoRoot, 'dist/cli/main.js')] : ['--import', 'tsx', join(repoRoot, 'src/cli/main.ts')];
    if (useDist && !existsSync(entry[0])) throw new Error('--dist: run `npm run build` first');
    t = performance.now();
    const child = spawn(process.execPath, [...entry, 'analyze', '--json', '-o', join(root, 'report.json'), root], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, CI: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < 1 << 16) stderr += c.toString();
    });
    const samples: Array<[number, number]> = [];
    const timer = setInterval(() => {
      const mb = rssMb(child.pid!);
      if (mb > 0) samples.push([(performance.now() - t) / 1000, mb]);
    }, 200);
    const [code] = (await once(child, 'exit')) as [number | null];
    clearInterval(timer);
    const secs = (performance.now() - t) / 1000;
    const peak = samples.reduce((a, [, mb]) => Math.max(a, mb), 0);
    console.log(`analyze: exit ${code}, ${secs.toFixed(1)} s, ${(bytes / 2 ** 20 / secs).toFixed(0)} MiB/s, peak RSS ${peak.toFixed(0)} MB (limit ${maxRss} MB)`);
    const step = Math.max(1, Math.floor(samples.length / 20));
    console.log('RSS over time (s: MB):', samples.filter((_, i) => i % step === 0).map(([s, mb]) => `${s.toFixed(0)}:${mb.toFixed(0)}`).join(' '));
    if (code === 0) {
      const report = JSON.parse(readFileSync(join(root, 'report.json'), 'utf8')) as {
        inputs: Array<{ lines: number; unparsed: number; skipped?: string; warnings: unknown[]; warningsDropped?: number }>;
        findings: Array<{ rule: string }>;
      };
      const read = report.inputs.filter((i) => !i.skipped);
      console.log(
        `report: ${report.inputs.length} inputs (${report.inputs.length - read.length} skipped), ${read.reduce((a, i) => a + i.lines, 0)} lines, ` +
          `${read.reduce((a, i) => a + i.unparsed, 0)} not understood, ${report.inputs.reduce((a, i) => a + i.warnings.length + (i.warningsDropped ?? 0), 0)} warnings, ` +
          `findings: ${[...new Set(report.findings.map((f) => f.rule))].join(', ') || 'none'}`,
      );
    } else {
      console.log(`stderr: ${stderr.slice(0, 2000)}`);
    }
    return code === 0 && peak <= maxRss ? 0 : 1;
  } finally {
    cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
