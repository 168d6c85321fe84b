import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { headLines, sniffBuffer } from '../../src/input/sniff.js';

describe('sniffBuffer', () => {
  it('recognises gzip by magic bytes, not by name, and reads its head', () => {
    const s = sniffBuffer(gzipSync(Buffer.from('May 28 20:21:04 k8s02 kernel: hello\n')));
    expect(s.compression).toBe('gzip');
    expect(headLines(s)).toEqual(['May 28 20:21:04 k8s02 kernel: hello']);
  });

  it('reads the head of a gzip file cut in the middle', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `May 28 20:21:04 k8s02 app[1]: line ${i}`).join('\n');
    const gz = gzipSync(Buffer.from(text));
    const s = sniffBuffer(gz.subarray(0, Math.floor(gz.length / 2)));
    expect(s.compression).toBe('gzip');
    expect(headLines(s)[0]).toBe('May 28 20:21:04 k8s02 app[1]: line 0');
  });

  it('names binary files instead of reading them as text', () => {
    expect(sniffBuffer(Buffer.from('LPKSHHRH\0\0\0\0\0\0\0\0')).binary).toMatch(/systemd binary journal/);
    expect(sniffBuffer(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0])).binary).toMatch(/ELF/);
    expect(sniffBuffer(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a])).binary).toMatch(/PNG/);
    const tar = Buffer.alloc(512);
    tar.write('ustar', 257, 'latin1');
    expect(sniffBuffer(tar).binary).toMatch(/tar/);
    expect(sniffBuffer(Buffer.from(Array.from({ length: 256 }, (_, i) => i))).binary).toMatch(/binary/);
  });

  it('keeps text with NUL runs (a power loss) as text', () => {
    const s = sniffBuffer(Buffer.concat([Buffer.from('May 28 20:21:04 h a: x\n'), Buffer.alloc(4096), Buffer.from('May 28 20:21:05 h a: y\n')]));
    expect(s.binary).toBeUndefined();
    expect(headLines(s)).toEqual(['May 28 20:21:04 h a: x', 'May 28 20:21:05 h a: y']);
  });

  it('detects CR-only line ends', () => {
    expect(sniffBuffer(Buffer.from('a\rb\r')).eol).toBe(0x0d);
    expect(sniffBuffer(Buffer.from('a\r\nb\r\n')).eol).toBe(0x0a);
  });
});
