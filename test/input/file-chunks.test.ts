import { appendFileSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readFileChunks } from '../../src/input/file-chunks.js';
import { tmpTree } from '../hostile/helpers.js';

async function chunks(abs: string, opts: { start?: number; end?: number; chunkBytes: number; checkSize?: boolean }): Promise<{ parts: string[]; bytes: number; change?: string }> {
  const parts: string[] = [];
  const r = await readFileChunks(
    abs,
    { start: opts.start ?? 0, end: opts.end ?? statSync(abs).size, eol: 0x0a, chunkBytes: opts.chunkBytes, checkSize: opts.checkSize ?? true },
    // The buffer is reused: copy what is kept.
    (c) => parts.push(c.toString('latin1')),
  );
  return { parts, ...r };
}

describe('readFileChunks: one reused buffer, chunks cut at line ends', () => {
  const text = Array.from({ length: 500 }, (_, i) => `line ${i} ${'x'.repeat(i % 37)}`).join('\n') + '\nlast line without terminator';
  const dir = tmpTree({ 'a.log': text });
  const abs = `${dir}/a.log`;

  it('hands out every byte once, in order, each chunk ending at a line end', async () => {
    for (const chunkBytes of [64, 100, 1000, 1 << 20]) {
      const { parts, bytes, change } = await chunks(abs, { chunkBytes });
      expect(parts.join('')).toBe(text);
      expect(bytes).toBe(text.length);
      expect(change).toBeUndefined();
      for (const p of parts.slice(0, -1)) expect(p.endsWith('\n')).toBe(true);
    }
  });

  it('a line longer than the buffer is handed out in buffer-sized pieces', async () => {
    const long = `${'y'.repeat(300)}\nshort\n`;
    const d = tmpTree({ 'long.log': long });
    const { parts } = await chunks(`${d}/long.log`, { chunkBytes: 64 });
    expect(parts.join('')).toBe(long);
    expect(parts[0].length).toBe(64);
  });

  it('reads a byte range only', async () => {
    const start = text.indexOf('line 100 ');
    const end = text.indexOf('line 200 ');
    const { parts } = await chunks(abs, { start, end, chunkBytes: 128, checkSize: false });
    expect(parts.join('')).toBe(text.slice(start, end));
  });

  it('reports a file that grew or shrank after planning, having read what was planned', async () => {
    const d = tmpTree({ 'live.log': 'one\ntwo\n' });
    const live = `${d}/live.log`;
    appendFileSync(live, 'three\n');
    const grew = await chunks(live, { end: 8, chunkBytes: 64 });
    expect(grew.parts.join('')).toBe('one\ntwo\n');
    expect(grew.change).toMatch(/file grew by 6 bytes while being read/);
    writeFileSync(live, 'one\n');
    const shrank = await chunks(live, { end: 14, chunkBytes: 64 });
    expect(shrank.parts.join('')).toBe('one\n');
    expect(shrank.change).toMatch(/file shrank to 4 bytes while being read/);
  });
});
