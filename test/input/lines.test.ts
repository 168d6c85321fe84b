import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/input/lines.js';

function split(chunks: Buffer[], opts: ConstructorParameters<typeof LineSplitter>[1] = {}): Array<{ text: string; no: number; off: number }> {
  const out: Array<{ text: string; no: number; off: number }> = [];
  const s = new LineSplitter((b, a, e, no, off) => out.push({ text: b.toString('latin1', a, e), no, off }), opts);
  for (const c of chunks) s.push(c);
  s.end();
  return out;
}

describe('LineSplitter', () => {
  it('gives line numbers and byte offsets, strips CRLF, keeps a last line without newline', () => {
    const lines = split([Buffer.from('a\r\nbb\n\nccc')]);
    expect(lines).toEqual([
      { text: 'a', no: 1, off: 0 },
      { text: 'bb', no: 2, off: 3 },
      { text: '', no: 3, off: 6 },
      { text: 'ccc', no: 4, off: 7 },
    ]);
  });

  it('joins lines torn across chunks', () => {
    const lines = split([Buffer.from('May 28 20:21'), Buffer.from(':04 host a'), Buffer.from('\nnext\n')]);
    expect(lines.map((l) => l.text)).toEqual(['May 28 20:21:04 host a', 'next']);
    expect(lines[1].off).toBe(23);
  });

  it('splits CR-only files when told', () => {
    expect(split([Buffer.from('a\rb\r')], { eol: 0x0d }).map((l) => l.text)).toEqual(['a', 'b']);
  });

  it('cuts overlong lines at the limit, reports them, and loses nothing else', () => {
    const over: number[] = [];
    const big = 'x'.repeat(100);
    const lines = split([Buffer.from(`short\n${big}`), Buffer.from(`${big}\nafter\n`)], { maxLineBytes: 50, onOverlong: (n) => over.push(n) });
    expect(lines.map((l) => l.text.length)).toEqual([5, 50, 5]);
    expect(lines[2]).toMatchObject({ text: 'after', no: 3, off: 207 });
    expect(over).toEqual([2]);
  });

  it('gives the same lines whatever the chunk boundaries (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat(400), { maxLength: 12 }), (bytes, cuts) => {
        const buf = Buffer.from(bytes);
        const whole = split([buf], { maxLineBytes: 64 });
        const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let prev = 0;
        for (const p of points) {
          chunks.push(buf.subarray(prev, p));
          prev = p;
        }
        chunks.push(buf.subarray(prev));
        expect(split(chunks, { maxLineBytes: 64 })).toEqual(whole);
        // Every byte is accounted for: lines = number of terminators (+1 for an unterminated tail).
        const nl = bytes.filter((b) => b === 10).length;
        expect(whole.length).toBe(nl + (buf.length > 0 && buf[buf.length - 1] !== 10 ? 1 : 0));
      }),
      { numRuns: 300 },
    );
  });
});
