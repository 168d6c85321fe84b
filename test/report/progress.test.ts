import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/report/progress.js';

/** A terminal-like stream that records what is written. */
function fakeTty(): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(w, {
    isTTY: true,
    columns: 120,
    cursorTo: (x: number, _y?: unknown, cb?: () => void) => (chunks.push(`<cursorTo ${x}>`), cb?.(), true),
    clearLine: (_dir: number, cb?: () => void) => (chunks.push('<clearLine>'), cb?.(), true),
    moveCursor: (_x: number, _y: number, cb?: () => void) => (cb?.(), true),
  });
  return { stream: w, text: () => chunks.join('') };
}

describe('createProgress', () => {
  it('shows bytes read of total, MB/s, ETA and inputs done', async () => {
    const tty = fakeTty();
    const p = createProgress({ stream: tty.stream, enabled: true });
    p.update({ bytesRead: 0, bytesTotal: 50_000_000, inputsDone: 0, inputsTotal: 4 });
    await new Promise((r) => setTimeout(r, 120));
    p.update({ bytesRead: 20_000_000, bytesTotal: 50_000_000, inputsDone: 1, inputsTotal: 4 });
    await new Promise((r) => setTimeout(r, 150));
    const text = tty.text();
    p.stop();
    expect(text).toMatch(/20\.0\/50\.0 MB/);
    expect(text).toMatch(/\d+\.\d MB\/s/);
    expect(text).toMatch(/ETA (\d+s|--)/);
    expect(text).toContain('inputs 1/4');
    expect(text).toContain('40%');
    p.stop(); // twice is fine
    p.update({ bytesRead: 1, bytesTotal: 2, inputsDone: 0, inputsTotal: 1 }); // after stop: ignored
  });

  it('writes nothing when not enabled', async () => {
    const tty = fakeTty();
    const p = createProgress({ stream: tty.stream, enabled: false });
    p.update({ bytesRead: 10, bytesTotal: 100, inputsDone: 0, inputsTotal: 1 });
    await new Promise((r) => setTimeout(r, 50));
    p.stop();
    expect(tty.text()).toBe('');
  });

  it('copes with an unknown or zero total', () => {
    const tty = fakeTty();
    const p = createProgress({ stream: tty.stream, enabled: true });
    expect(() => {
      p.update({ bytesRead: 0, bytesTotal: 0, inputsDone: 0, inputsTotal: 0 });
      p.update({ bytesRead: 5, bytesTotal: 0, inputsDone: 0, inputsTotal: 0 });
      p.stop();
    }).not.toThrow();
  });
});
