import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src/model/event.js';
import type { ParseContext } from '../../src/parsers/types.js';
import {
  GoroutineDumpAssembler,
  goroutineFormat,
  parseGoroutineDump,
  parseGoroutineDumpSync,
  type GoroutineDump,
} from '../../src/parsers/goroutine/index.js';

const repoRoot = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const realdata = path.resolve(repoRoot, '../shared/realdata/goroutine');
const fixtures = path.join(repoRoot, 'test/fixtures/goroutine');
const haveReal = existsSync(realdata);
if (!haveReal) console.warn(`goroutine tests: ${realdata} missing, real-sample tests skipped`);

const real = (name: string): string => readFileSync(path.join(realdata, name), 'utf8');
const fixture = (name: string): string => readFileSync(path.join(fixtures, name), 'utf8');
const one = (text: string): GoroutineDump => {
  const dumps = parseGoroutineDumpSync(text);
  expect(dumps).toHaveLength(1);
  return dumps[0]!;
};
const byId = (d: GoroutineDump, id: number) => d.goroutines.find((g) => g.id === id)!;

describe.skipIf(!haveReal)('real goroutine dumps (/work/shared/realdata/goroutine)', () => {
  it('pprof debug=2 with wait minutes and inlined frames (waitsince)', () => {
    const d = one(real('gostackparse-waitsince.txt'));
    expect(d.goroutines.map((g) => g.id)).toEqual([1, 22, 3, 4, 5, 6, 24, 23, 41]);
    expect(byId(d, 1)).toMatchObject({ state: 'running', line: 1 });
    expect(byId(d, 1).waitMinutes).toBeUndefined();
    expect(byId(d, 22)).toMatchObject({ state: 'sleep', waitMinutes: 1, line: 15 });
    expect(byId(d, 3)).toMatchObject({ state: 'IO wait', waitMinutes: 1 });
    expect(byId(d, 3).frames).toHaveLength(11);
    const inl = byId(d, 3).frames[2]!;
    expect(inl).toEqual({
      func: 'internal/poll.(*pollDesc).waitRead',
      args: '...',
      file: '/usr/local/Cellar/go/1.15.6/libexec/src/internal/poll/fd_poll_runtime.go',
      line: 92,
      inlined: true,
    });
    expect(byId(d, 3).frames[0]).toMatchObject({ func: 'internal/poll.runtime_pollWait', line: 222, offset: '0x55', inlined: false });
    expect(byId(d, 6)).toMatchObject({ state: 'chan receive', waitMinutes: 1 });
    expect(byId(d, 22).createdBy).toEqual({
      func: 'main.indirectShortSleepLoop2',
      file: '/Users/felix.geisendoerfer/go/src/github.com/felixge/go-profiler-notes/examples/goroutine/main.go',
      line: 185,
    });
    expect(d.buckets).toHaveLength(9);
    expect(d.warnings).toEqual([]);
    expect(d.startLine).toBe(1);
    expect(d.endLine).toBe(133);
  });

  it('Go 1.21 `created by ... in goroutine N`, `?` args, no trailing newline', () => {
    const d = one(real('gostackparse-go121_createdby.txt'));
    expect(d.goroutines.map((g) => [g.id, g.state])).toEqual([
      [18, 'running'],
      [1, 'semacquire'],
    ]);
    expect(byId(d, 18).createdBy).toEqual({
      func: 'main.main',
      goroutine: 1,
      file: '/Users/nick.ripley/repos/gostackparse/test-fixtures/go121_createdby.go',
      line: 14,
    });
    expect(byId(d, 1).frames.map((f) => f.func)).toEqual(['sync.runtime_Semacquire', 'sync.(*WaitGroup).Wait', 'main.main']);
    expect(byId(d, 1).frames[0]!.args).toBe('0x140000021a0?');
    // The last line has no newline and is still read.
    expect(byId(d, 1).frames[2]).toMatchObject({ line: 18, offset: '0x78' });
    expect(d.endLine).toBe(15);
  });

  it('locked to thread, panic frame (lockedm)', () => {
    const d = one(real('gostackparse-lockedm.txt'));
    const g = byId(d, 7);
    expect(g).toMatchObject({ state: 'running', lockedToThread: true });
    expect(g.frames.map((f) => f.func)).toContain('panic');
    expect(g.createdBy).toMatchObject({ func: 'testing.(*T).Run', line: 1168 });
    expect(d.buckets[0]).toMatchObject({ state: 'running, locked to thread', lockedToThread: true, count: 1 });
  });

  it('cgo: relative _cgo_gotypes.go files, [syscall], [sleep, locked to thread]', () => {
    const d = one(real('gostackparse-cgo.txt'));
    expect(d.goroutines.map((g) => [g.id, g.state, g.lockedToThread])).toEqual([
      [1, 'running', false],
      [6, 'syscall', false],
      [7, 'sleep', true],
    ]);
    expect(byId(d, 6).frames[0]).toMatchObject({ func: 'main._Cfunc_c_sleep_loop', file: '_cgo_gotypes.go', line: 56 });
    expect(byId(d, 7).frames[1]).toMatchObject({ func: 'main.goSleep', inlined: true, line: 53 });
    expect(byId(d, 7).frames[1]!.offset).toBeUndefined();
    expect(byId(d, 6).createdBy).toMatchObject({ func: 'main.main', line: 36 });
    expect(byId(d, 6).createdBy!.goroutine).toBeUndefined();
  });

  it('Windows paths keep the drive colon', () => {
    const d = one(real('gostackparse-windows.txt'));
    expect(d.goroutines[0]!.frames[0]).toMatchObject({ file: 'C:/Users/felixge/pprof.go', line: 693, offset: '0x9f' });
  });

  it('elided frames, with and without created by', () => {
    const a = one(real('gostackparse-frameselided.txt'));
    expect(a.goroutines[0]).toMatchObject({ id: 1, framesElided: true });
    expect(a.goroutines[0]!.frames).toHaveLength(100);
    expect(a.goroutines[0]!.createdBy).toBeUndefined();
    const b = one(real('gostackparse-frameselided_goroutine.txt'));
    expect(byId(b, 18)).toMatchObject({ framesElided: true, createdBy: { func: 'main.main', line: 16 } });
    expect(byId(b, 18).frames).toHaveLength(100);
    expect(byId(b, 1)).toMatchObject({ state: 'chan receive', framesElided: false, line: 206 });
  });

  it('ancestor sections (GODEBUG=tracebackancestors)', () => {
    const d = one(real('gostackparse-ancestors.txt'));
    expect(d.goroutines.map((g) => g.id)).toEqual([1, 25, 29]);
    const g = byId(d, 25);
    expect(g.frames.map((f) => f.func)).toEqual(['main.bar', 'main.foo.func2']);
    expect(g.createdBy).toMatchObject({ func: 'main.d1', line: 69 });
    expect(g.ancestors!.map((a) => [a.id, a.frames.length])).toEqual([
      [24, 8],
      [23, 8],
      [22, 8],
      [21, 8],
      [20, 7],
      [1, 1],
    ]);
    expect(byId(d, 29).ancestors!.map((a) => a.id)).toEqual([28, 27, 26, 1]);
    // 25 and 29 share stack and creator (args differ): one bucket of 2.
    expect(d.buckets[0]).toMatchObject({ count: 2, ids: [25, 29], state: 'chan receive', line: 7 });
  });

  it('SIGQUIT dump with gp/m/mp and fp/sp/pc fields (Go 1.23)', () => {
    const d = one(real('stapelberg-sigquit-go1.23-gp-m-mp-fp-sp-pc.txt'));
    expect(d.header).toEqual({ signal: 'SIGQUIT', pc: '0x47664e', m: '0' });
    expect(d.goroutines.map((g) => [g.id, g.state, g.gp, g.m])).toEqual([
      [0, 'idle', '0x6e6020', '0'],
      [1, 'IO wait', '0xc0000061c0', 'nil'],
      [2, 'force gc (idle)', '0xc000006c40', 'nil'],
    ]);
    expect(byId(d, 0).frames[0]).toEqual({
      func: 'internal/runtime/syscall.Syscall6',
      args: '',
      file: '/home/michael/sdk/go1.23.0/src/internal/runtime/syscall/asm_linux_amd64.s',
      line: 36,
      offset: '0xe',
      inlined: false,
    });
    expect(byId(d, 1).frames).toHaveLength(28);
    expect(byId(d, 1).frames.find((f) => f.file === '<autogenerated>')).toMatchObject({ func: 'net.(*TCPConn).Read', line: 1 });
    expect(byId(d, 2).createdBy).toEqual({
      func: 'runtime.init.7',
      goroutine: 1,
      file: '/home/michael/sdk/go1.23.0/src/runtime/proc.go',
      line: 325,
    });
    expect(d.startLine).toBe(1);
    expect(d.warnings).toEqual([]);
  });

  it('BuildKit-prefixed compiler crash: prefix stripped, header, 10 goroutines', () => {
    const d = one(real('buildkit-prefixed-go1.23-compile-sigsegv-gp-m.txt'));
    expect(d.header).toEqual({ panic: 'fatal error: fault', signal: 'SIGSEGV', pc: '0x48587e' });
    expect(d.goroutines.map((g) => g.id)).toEqual([52, 1, 2, 3, 4, 17, 49, 50, 51, 5]);
    expect(byId(d, 52)).toMatchObject({ state: 'running', gp: '0xc000674c40', m: '3', line: 8 });
    expect(byId(d, 52).frames.map((f) => f.func)).toEqual(['runtime.throw', 'runtime.sigpanic', 'gogo']);
    expect(byId(d, 52).frames[0]).toMatchObject({ file: 'runtime/panic.go', line: 1067, offset: '0x48' });
    expect(byId(d, 3).state).toBe('GC sweep wait');
    expect(byId(d, 50).frames[2]).toMatchObject({ func: 'cmd/compile/internal/ssa.(*Cache).allocValueSlice', inlined: true });
    expect(byId(d, 5).createdBy).toMatchObject({ func: 'cmd/compile/internal/gc.compileFunctions.func3', goroutine: 49, line: 169 });
    // 51 and 5 have the same stack (liveValues at deadcode.go:81); 50 differs (allocValueSlice inlined).
    const runnable = d.buckets.find((b) => b.count === 2)!;
    expect(runnable).toMatchObject({ state: 'runnable', ids: [51, 5] });
    expect(d.buckets).toHaveLength(9);
    expect(d.buckets[0]).toBe(runnable);
    expect(d.startLine).toBe(4);
    expect(d.endLine).toBe(176); // `200.0 exit status 2` ends the dump
    expect(d.warnings).toEqual([]);
  });
});

describe.skipIf(!haveReal)('hand-made malformed inputs (realdata/goroutine/edgecases)', () => {
  it('empty stacks are kept and warned', () => {
    const d = one(real('edgecases/gostackparse-empty_stack.txt'));
    expect(d.goroutines.map((g) => [g.id, g.frames.length])).toEqual([
      [1, 0],
      [2, 0],
    ]);
    expect(d.warnings).toEqual([
      { line: 1, message: 'goroutine 1: no frames' },
      { line: 3, message: 'goroutine 2: no frames' },
    ]);
  });

  it('a garbled call drops its goroutine and parsing resyncs at the next header', () => {
    const d = one(real('edgecases/gostackparse-errorhandling.txt'));
    expect(d.goroutines.map((g) => g.id)).toEqual([1, 3]);
    expect(d.warnings).toHaveLength(1);
    expect(d.warnings[0]!.line).toBe(6);
    expect(d.warnings[0]!.message).toContain('goroutine 2');
    expect(byId(d, 3).createdBy).toEqual({ func: 'main.main', file: '/example/main.go', line: 110 });
  });

  it('created by without its file line', () => {
    const d = one(real('edgecases/gostackparse-partial_createdby.txt'));
    expect(d.goroutines.map((g) => g.createdBy)).toEqual([{ func: 'main.main' }, { func: 'main.foo' }]);
    expect(d.warnings).toEqual([]);
  });

  it('a call without its file line is kept with file "" and warned', () => {
    const d = one(real('edgecases/gostackparse-partial_stack.txt'));
    expect(d.goroutines.map((g) => g.frames)).toEqual([
      [{ func: 'main.main', args: '', file: '', line: 0, inlined: false }],
      [{ func: 'main.main', args: '', file: '', line: 0, inlined: false }],
    ]);
    expect(d.warnings.map((w) => w.line)).toEqual([2, 5]);
  });
});

describe('hand-written fixtures (test/fixtures/goroutine)', () => {
  it('kubelet dump after the PIR: select 33 minutes and WaitForAttachAndMount buckets', () => {
    const d = one(fixture('kubelet-pprof-select-33m.txt'));
    expect(d.goroutineCount).toBe(10);
    expect(d.buckets.map((b) => [b.state, b.count, b.waitMinutes])).toEqual([
      ['semacquire', 4, { min: 32, max: 33 }],
      ['select', 3, { min: 31, max: 33 }],
      ['running', 1, null],
      ['chan receive, locked to thread', 1, { min: 1, max: 1 }],
      ['select', 1, null],
    ]);
    expect(d.buckets[1]!.ids).toEqual([412, 413, 527]);
    expect(d.buckets[1]!.createdBy).toMatchObject({ func: 'k8s.io/apimachinery/pkg/util/wait.(*Group).Start', goroutine: 398 });
    expect(byId(d, 88)).toMatchObject({ state: 'chan receive', waitMinutes: 1, lockedToThread: true });
    expect(byId(d, 301).frames[2]!.func).toBe('k8s.io/client-go/util/workqueue.(*delayingType[...]).waitingLoop');
    expect(byId(d, 301).createdBy!.func).toBe('k8s.io/client-go/util/workqueue.newDelayingQueue[...]');
  });

  it('two crash dumps back to back, CRLF, no trailing newline', () => {
    const dumps = parseGoroutineDumpSync(fixture('two-panics-crlf.txt'));
    expect(dumps).toHaveLength(2);
    expect(dumps.map((d) => [d.startLine, d.endLine, d.goroutines.map((g) => g.id)])).toEqual([
      [1, 18, [214, 1]],
      [19, 32, [198, 1]],
    ]);
    for (const d of dumps) {
      expect(d.header).toEqual({
        panic: 'runtime error: invalid memory address or nil pointer dereference',
        signal: 'SIGSEGV',
        pc: '0x1f3a2b6',
      });
      expect(d.warnings).toEqual([]);
    }
    expect(dumps[0]!.goroutines[0]!.frames[0]).toMatchObject({ file: '/go/src/github.com/openebs/jiva/replica/replica.go', line: 851 });
    expect(dumps[1]!.goroutines[1]!.frames[1]).toMatchObject({ func: 'main.main', line: 88, offset: '0x2f5' });
  });

  it('fatal error with runtime notes and a runtime stack section', () => {
    const d = one(fixture('stack-overflow-runtime-stack.txt'));
    expect(d.header).toEqual({ panic: 'fatal error: stack overflow' });
    expect(d.startLine).toBe(1);
    expect(d.endLine).toBe(28);
    expect(d.goroutines.map((g) => [g.id, g.framesElided, g.frames.length])).toEqual([
      [1, true, 3],
      [2, false, 2],
    ]);
  });

  it('same-id header starts a second dump', () => {
    const text = 'goroutine 1 [running]:\nmain.main()\n\t/a/m.go:3 +0x1\n\ngoroutine 1 [running]:\nmain.main()\n\t/a/m.go:4 +0x1\n';
    const dumps = parseGoroutineDumpSync(text);
    expect(dumps.map((d) => d.goroutines[0]!.frames[0]!.line)).toEqual([3, 4]);
  });
});

describe('header states', () => {
  const state = (h: string) => one(`${h}\nmain.main()\n\t/x/main.go:1 +0x1\n`).goroutines[0]!;
  it('wait minutes and lock flags', () => {
    expect(state('goroutine 9 [select, 33 minutes]:')).toMatchObject({ state: 'select', waitMinutes: 33, lockedToThread: false });
    expect(state('goroutine 9 [select]:').waitMinutes).toBeUndefined();
    expect(state('goroutine 9 [chan receive, 1 minutes, locked to thread]:')).toMatchObject({
      state: 'chan receive',
      waitMinutes: 1,
      lockedToThread: true,
    });
    expect(state('goroutine 9 [running, locked to thread]:')).toMatchObject({ state: 'running', lockedToThread: true });
    expect(state('goroutine 9 [GC sweep wait]:').state).toBe('GC sweep wait');
    expect(state('goroutine 18 gp=0xc000602000 m=nil [GC worker (idle)]:')).toMatchObject({ state: 'GC worker (idle)', m: 'nil' });
  });
});

describe('journal-embedded dumps (assembler fed message by message)', () => {
  it('refuses foreign lines between dumps and completes a dump at the first foreign line', () => {
    const messages = [
      'I0528 11:20:01.000000    1234 kubelet.go:2400] "SyncLoop (housekeeping)"',
      'goroutine 412 [select, 33 minutes]:',
      'k8s.io/client-go/tools/cache.(*processorListener).pop(0xc000a3c480)',
      '\tk8s.io/client-go/tools/cache/shared_informer.go:1135 +0x10c',
      '',
      'goroutine 413 [select, 33 minutes]:',
      'k8s.io/client-go/tools/cache.(*processorListener).pop(0xc000a3c510)',
      '\tk8s.io/client-go/tools/cache/shared_informer.go:1135 +0x10c',
      'I0528 11:20:02.000000    1234 kubelet.go:2400] "SyncLoop (housekeeping)"',
      'E0528 11:20:03.000000    1234 runtime.go:79] Observed a panic: "boom"',
    ];
    const asm = new GoroutineDumpAssembler();
    const consumed = messages.map((m, i) => asm.line(m, i + 1));
    expect(consumed).toEqual([false, true, true, true, true, true, true, true, false, false]);
    const dumps = asm.take();
    expect(dumps).toHaveLength(1);
    expect(dumps[0]!.buckets).toHaveLength(1);
    expect(dumps[0]!.buckets[0]).toMatchObject({ count: 2, waitMinutes: { min: 33, max: 33 }, line: 2 });
    expect(asm.take()).toEqual([]);
    expect(asm.end()).toEqual([]);
  });

  it('keepGoroutines: false keeps buckets only', () => {
    const asm = new GoroutineDumpAssembler({ keepGoroutines: false });
    fixture('kubelet-pprof-select-33m.txt')
      .split('\n')
      .forEach((l, i) => asm.line(l, i + 1));
    const [d] = asm.end();
    expect(d!.goroutines).toEqual([]);
    expect(d!.goroutineCount).toBe(10);
    expect(d!.buckets[0]!.count).toBe(4);
  });
});

describe('parseGoroutineDump (streams)', () => {
  it('gives the same result from Buffers split inside lines and UTF-8 sequences', async () => {
    const text = `${fixture('kubelet-pprof-select-33m.txt')}goroutine 7 [chan receive]:\nmain.ünïcode(0x1)\n\t/tmp/ü.go:1 +0x1\n`;
    const buf = Buffer.from(text, 'utf8');
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let i = 0; i < buf.length; i += 7) yield buf.subarray(i, i + 7);
    }
    const a = await parseGoroutineDump(chunks());
    expect(a).toEqual(parseGoroutineDumpSync(text));
    expect(a[0]!.goroutines.at(-1)!.frames[0]!.func).toBe('main.ünïcode');
  });
});

describe('goroutineFormat', () => {
  const run = (text: string) => {
    const events: LogEvent[] = [];
    const warnings: Array<[number, string]> = [];
    const ctx: ParseContext = { file: 'k8s03/kubelet-goroutines.txt', host: 'k8s03', year: 2026, tz: 'UTC', warn: (l, m) => warnings.push([l, m]) };
    const p = goroutineFormat.create(ctx, (e) => events.push(e));
    const lines = text.split('\n');
    let offset = 0;
    const understood = lines.map((l, i) => {
      const ok = p.line(l, i + 1, offset);
      offset += Buffer.byteLength(l) + 1;
      return ok;
    });
    p.end();
    return { events, warnings, understood };
  };

  it('emits one dump event and one event per bucket', () => {
    const { events, understood } = run(fixture('kubelet-pprof-select-33m.txt'));
    expect(understood.every(Boolean)).toBe(true);
    expect(events).toHaveLength(6);
    expect(events[0]).toMatchObject({
      msg: 'goroutine dump: 10 goroutines in 5 buckets',
      format: 'goroutine',
      host: 'k8s03',
      quality: 'none',
      line: 1,
      data: { dump: { goroutines: 10, buckets: 5 } },
    });
    expect(Number.isNaN(events[0]!.ts)).toBe(true);
    expect(events[0]!.kind).toBeUndefined();
    const sel = events.find((e) => e.msg.includes('processorListener'))!;
    expect(sel.msg).toBe('3 goroutines [select, 33 minutes]: k8s.io/client-go/tools/cache.(*processorListener).pop');
    expect(sel).toMatchObject({ line: 11, lines: 11, text: 'goroutine 412 [select, 33 minutes]:', file: 'k8s03/kubelet-goroutines.txt' });
    expect(sel.data!['goroutine']).toMatchObject({ state: 'select', waitMinutes: 33, waitMinutesMin: 31, count: 3, ids: [412, 413, 527] });
    const wait = events.find((e) => e.msg.includes('WaitForAttachAndMount'))!;
    expect(wait.msg).toBe('4 goroutines [semacquire, 33 minutes]: k8s.io/kubernetes/pkg/kubelet/volumemanager.(*volumeManager).WaitForAttachAndMount');
    const locked = events.find((e) => e.msg.includes('locked'))!;
    expect(locked.msg).toBe('1 goroutine [chan receive, 1 minutes, locked to thread]: k8s.io/klog/v2.(*flushDaemon).run.func1');
  });

  it('counts junk lines as not understood and forwards warnings', () => {
    const { understood, warnings, events } = run(readFileSync(path.join(fixtures, 'stack-overflow-runtime-stack.txt'), 'utf8') + 'goroutine 5 [running]:\nmain.x)(\n');
    expect(understood[28]).toBe(false); // exit status 2
    expect(events.filter((e) => e.data?.['dump'])).toHaveLength(2);
    expect(warnings).toEqual([[31, 'goroutine 5: malformed line, goroutine dropped: main.x)(']]);
  });

  it('detect scores dumps high and other logs zero', () => {
    expect(goroutineFormat.detect(fixture('kubelet-pprof-select-33m.txt').split('\n').slice(0, 40))).toBe(1);
    expect(
      goroutineFormat.detect([
        'May 28 20:21:04 k8s03 kernel: [ 1.000] sd 2:0:0:0: [sdb] Attached SCSI disk',
        'May 28 20:21:05 k8s03 iscsid[812]: connection1:0: detected conn error (1020)',
      ]),
    ).toBe(0);
    expect(goroutineFormat.detect(['panic: boom', 'exit status 2'])).toBe(0);
    for (const s of goroutineFormat.samples) expect(goroutineFormat.detect([s.line])).toBeGreaterThan(0.5);
  });
});

describe.skipIf(!haveReal)('goroutineFormat on prefixed real dump', () => {
  it('detects the BuildKit dump despite its prefix', () => {
    const lines = real('buildkit-prefixed-go1.23-compile-sigsegv-gp-m.txt').split('\n').slice(0, 60);
    expect(goroutineFormat.detect(lines)).toBeGreaterThan(0.9);
  });
});
