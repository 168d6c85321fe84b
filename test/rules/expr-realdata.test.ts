/**
 * The expression language on real logs from /work/shared/realdata (read in place, never copied).
 * Lines are turned into minimal scopes here; the real parsers live elsewhere.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileExpr, t, type CompiledExpr, type TypeEnv } from '../../src/rules/expr/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const realdata = path.resolve(repoRoot, '../shared/realdata');
const exists = existsSync(realdata);
if (!exists) console.warn(`expr-realdata: skipped, ${realdata} is missing`);

function lines(rel: string): string[] {
  return readFileSync(path.join(realdata, rel), 'utf8').split(/\r?\n/);
}

function compile(source: string, env: TypeEnv): CompiledExpr {
  const r = compileExpr(source, env);
  if (!r.ok) throw new Error(`${source}: ${r.errors.map((e) => `col ${e.column}: ${e.message}`).join('; ')}`);
  return r.expr;
}

interface KernelLine {
  msg: string;
  ts: number | null;
}

/** `[ 1584.148816]  connection4:0: ...` -> mono seconds as µs and the message. */
function kernelLine(line: string): KernelLine {
  const m = /^\[\s*(\d+)\.(\d{6})\]\s?/.exec(line);
  if (m === null) return { msg: line.trimStart(), ts: null };
  return { msg: line.slice(m[0].length).trimStart(), ts: Number(m[1]) * 1_000_000 + Number(m[2]) };
}

const kernelEnv: TypeEnv = { msg: t.string, ts: t.timestamp, connErr: t.record({ ts: t.timestamp, captures: t.map(t.string) }) };

describe.skipIf(!exists)('expr on real dmesg excerpts', () => {
  it('finds the iSCSI conn error with its captures', () => {
    const e = compile('msg ~ /connection(?<sid>\\d+):\\d+: detected conn error \\((?<code>\\d+)\\)/', kernelEnv);
    const hits: Record<string, string>[] = [];
    for (const l of lines('dmesg/dmesg-raw-iscsi-lio-loopback-swap-ioerror-6x.txt')) {
      const caps: Record<string, string> = {};
      if (e.evaluate({ ...kernelLine(l) }, caps) === true) hits.push(caps);
    }
    expect(hits).toEqual([{ sid: '4', code: '1022' }]);
  });

  it('links the session recovery timeout to the earlier conn error by time arithmetic', () => {
    const connErr = compile('msg ~ /detected conn error \\((?<code>\\d+)\\)/', kernelEnv);
    const timeout = compile(
      'msg ~ /session(?<sid>\\d+): session recovery timed out after (?<secs>\\d+) secs/ and ts - connErr.ts >= 120s and ts - connErr.ts <= 2m + 5s',
      kernelEnv,
    );
    let bound: { ts: number; captures: Record<string, string> } | null = null;
    const chains: [string, string, number][] = [];
    for (const l of lines('dmesg/dmesg-raw-iscsi-lio-loopback-swap-ioerror-6x.txt')) {
      const ev = kernelLine(l);
      const caps: Record<string, string> = {};
      if (connErr.evaluate(ev, caps) === true) bound = { ts: ev.ts!, captures: caps };
      const caps2: Record<string, string> = {};
      if (timeout.evaluate({ ...ev, connErr: bound }, caps2) === true) chains.push([bound!.captures.code!, caps2.secs!, ev.ts! - bound!.ts]);
    }
    expect(chains).toEqual([['1022', '120', 1704_980737 - 1584_148816]]);
    // Without a bound step the time condition is false (null - x is null; comparisons with null are false).
    expect(timeout.evaluate({ msg: 'session4: session recovery timed out after 120 secs', ts: 1, connErr: null })).toBe(false);
  });

  it('counts block-layer I/O errors per device, with and without the blk_update_request prefix', () => {
    const e = compile('msg ~ /I\\/O error, dev (?<dev>sd[a-z]+), sector (?<sector>\\d+)/ and msg !~ /^Buffer /', kernelEnv);
    const perDev: Record<string, number> = {};
    for (const f of readdirSync(path.join(realdata, 'dmesg'))) {
      for (const l of lines(`dmesg/${f}`)) {
        const caps: Record<string, string> = {};
        if (e.evaluate(kernelLine(l), caps) === true) perDev[caps.dev!] = (perDev[caps.dev!] ?? 0) + 1;
      }
    }
    expect(perDev).toEqual({ sda: 1, sdc: 7, sde: 10, sdf: 10 });
  });
});

interface Goroutine {
  id: number;
  state: string;
  waitMinutes: number;
  frames: { func: string; file: string; line: number }[];
}

/** Just enough of a goroutine dump reader for these tests. */
function goroutines(text: string[]): Goroutine[] {
  const out: Goroutine[] = [];
  let cur: Goroutine | null = null;
  for (let i = 0; i < text.length; i++) {
    const l = text[i]!;
    const h = /^goroutine (\d+) \[([^,\]]+)(?:, (\d+) minutes)?/.exec(l);
    if (h !== null) {
      cur = { id: Number(h[1]), state: h[2]!, waitMinutes: Number(h[3] ?? 0), frames: [] };
      out.push(cur);
    } else if (cur !== null && l !== '' && !l.startsWith('\t') && !l.startsWith('created by')) {
      const loc = /^\t(.*):(\d+)/.exec(text[i + 1] ?? '');
      cur.frames.push({ func: l.replace(/\([^()]*\)$/, ''), file: loc?.[1] ?? '', line: Number(loc?.[2] ?? 0) });
    }
  }
  return out;
}

const goEnv: TypeEnv = {
  goroutine: t.record({ id: t.number, state: t.string, waitMinutes: t.number, frames: t.list(t.record({ func: t.string, file: t.string, line: t.number })) }),
};

describe.skipIf(!exists)('expr on a real goroutine dump', () => {
  const gs = exists ? goroutines(lines('goroutine/gostackparse-waitsince.txt')) : [];
  const select = (src: string) => {
    const e = compile(src, goEnv);
    return gs.filter((g) => e.evaluate({ goroutine: g }) === true).map((g) => g.id);
  };

  it('reads the dump', () => {
    expect(gs.map((g) => g.id)).toEqual([1, 22, 3, 4, 5, 6, 24, 23, 41]);
  });
  it('selects goroutines blocked in netpoll with any() over frames', () => {
    expect(select('goroutine.state == "IO wait" and any(goroutine.frames, f -> f.func startsWith "internal/poll.")')).toEqual([3, 23, 41]);
    expect(select('any(goroutine.frames, f -> f.func endsWith ".(*FD).Accept")')).toEqual([3]);
  });
  it('uses all(), count() and len()', () => {
    expect(select('goroutine.waitMinutes >= 1 and count(goroutine.frames, f -> f.func startsWith "internal/poll.") >= 4')).toEqual([3, 23, 41]);
    expect(select('all(goroutine.frames, f -> f.file endsWith ".go")')).toEqual(gs.map((g) => g.id));
    expect(select('len(goroutine.frames) == 1')).toEqual([6, 24]);
  });
});

describe.skipIf(!exists)('requiredLiterals are a sound prefilter on real lines', () => {
  const env: TypeEnv = { msg: t.string };
  const exprs = [
    // `\s*`: one real line reads "invalid user  0101" (two spaces).
    'msg ~ /Failed password for (?<invalid>invalid user )?\\s*(?<user>\\S+) from (?<ip>[\\d.]+) port (?<port>\\d+)/',
    'msg contains "authentication failure" and msg ~ /rhost=(?<rhost>\\S+)/',
    'msg ~ /sshd\\[\\d+\\]: Received disconnect from (?<ip>[\\d.]+)/ and msg endsWith "[preauth]"',
    'msg ~ /connection(?<sid>\\d+):\\d+: detected conn error \\((?<code>\\d+)\\)/',
    'msg ~ /(?:timed out|timeout) after/',
    'msg ~ /^\\s*created by (?<fn>\\S+)/',
  ];
  const all: string[] = [];
  if (exists) {
    for (const dir of ['syslog', 'dmesg', 'goroutine']) {
      for (const f of readdirSync(path.join(realdata, dir))) if (f.endsWith('.txt')) all.push(...lines(`${dir}/${f}`));
    }
  }

  it.each(exprs)('%s', (src) => {
    const e = compile(src, env);
    expect(e.requiredLiterals.length).toBeGreaterThan(0);
    let matched = 0;
    let skipped = 0;
    for (const l of all) {
      const pass = e.requiredLiterals.every((lit) => l.includes(lit));
      if (!pass) skipped++;
      if (e.evaluate({ msg: l }) === true) {
        matched++;
        expect(pass).toBe(true);
      }
    }
    expect(matched).toBeGreaterThan(0);
    expect(skipped).toBeGreaterThan(all.length / 2);
  });

  it('counts sshd failures like grep does', () => {
    const e = compile(exprs[0]!, env);
    const caps: Record<string, string>[] = [];
    for (const l of lines('syslog/loghub-openssh-2k.log.txt')) {
      const c: Record<string, string> = {};
      if (e.evaluate({ msg: l }, c) === true) caps.push(c);
    }
    expect(caps.length).toBe(520);
    expect(caps.filter((c) => c.invalid !== undefined).length).toBe(135);
  });
});
