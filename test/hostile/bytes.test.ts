import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { MAX_LINE_BYTES } from '../../src/input/lines.js';
import { runCli, syslogLines, tmpTree } from './helpers.js';

type Result = Awaited<ReturnType<typeof analyze>>;
const input = (r: Result, path: string) => {
  const i = r.inputs.find((x) => x.path === path);
  if (!i) throw new Error(`no input ${path}`);
  return i;
};

describe('damaged bytes inside text logs', () => {
  const ten = syslogLines(10);
  const root = tmpTree({
    // A block lost in a power cut: 4 KiB of NUL in the middle of a line, and a whole NUL line.
    'nul.log': Buffer.concat([Buffer.from(ten.slice(0, 100)), Buffer.alloc(4096), Buffer.from(ten.slice(100)), Buffer.alloc(512), Buffer.from('\n'), Buffer.from(syslogLines(3, 'after'))]),
    'utf8.log': Buffer.concat([Buffer.from(syslogLines(2)), Buffer.from('May 28 20:22:00 k8s02 app[1]: bad \xff\xfe\xc3\x28 bytes\n', 'latin1'), Buffer.from(syslogLines(2, 'ok', 2))]),
    'ctrl.log': syslogLines(3).replace('line 1', 'line \x01\x02\x07\x1b[31m1\x7f\x08'),
    'cr-only.log': syslogLines(8).replace(/\n/g, '\r'),
    'crlf.log': syslogLines(8).replace(/\n/g, '\r\n'),
  });

  it('NUL runs are removed with a warning; every line is accounted for', async () => {
    const r = await analyze([root]);
    const i = input(r, 'nul.log');
    expect(i.format).toBe('syslog');
    // 10 lines + the NUL-only line + 3: the NUL-only line is counted, not lost.
    expect(i.lines).toBe(14);
    expect(i.unparsed).toBeLessThanOrEqual(2);
    expect(i.warnings.some((w) => /4096 NUL bytes removed/.test(w.message) && w.line > 0)).toBe(true);
  });

  it('invalid UTF-8 and control characters neither crash nor lose lines', async () => {
    const r = await analyze([root]);
    expect(input(r, 'utf8.log')).toMatchObject({ lines: 5, unparsed: 0 });
    expect(input(r, 'ctrl.log')).toMatchObject({ lines: 3, unparsed: 0 });
  });

  it('CR-only and CRLF line ends give the same lines as LF', async () => {
    const r = await analyze([root]);
    expect(input(r, 'cr-only.log')).toMatchObject({ lines: 8, unparsed: 0, first: input(r, 'crlf.log').first, last: input(r, 'crlf.log').last });
    expect(input(r, 'crlf.log')).toMatchObject({ lines: 8, unparsed: 0 });
  });

  it(`a line of tens of MB is cut at MAX_LINE_BYTES (${MAX_LINE_BYTES}) with a warning, and the lines after it are kept`, async () => {
    const dir = tmpTree();
    const f = join(dir, 'huge-line.log');
    const fd = openSync(f, 'w');
    writeSync(fd, syslogLines(5));
    writeSync(fd, 'May 28 20:22:00 k8s02 app[1]: ');
    const mb = Buffer.alloc(1 << 20, 0x61);
    for (let k = 0; k < 24; k++) writeSync(fd, mb);
    writeSync(fd, `\n${syslogLines(5, 'after', 100)}`);
    closeSync(fd);
    const r = await analyze([dir]);
    const i = input(r, 'huge-line.log');
    expect(i.lines).toBe(11);
    expect(i.unparsed).toBe(0);
    expect(i.warnings).toContainEqual({ line: 6, message: expect.stringMatching(new RegExp(`line of ${24 * (1 << 20) + 30} bytes cut to ${MAX_LINE_BYTES} bytes`)) });
    expect(i.last).toMatch(/T20:22:44/); // "after 104", the last line
  });

  it('a 100 MB file without a newline is read in bounded memory (child process RSS)', () => {
    const dir = tmpTree();
    const f = join(dir, 'no-newline.log');
    const fd = openSync(f, 'w');
    writeSync(fd, 'May 28 20:22:00 k8s02 app[1]: ');
    const mb = Buffer.alloc(1 << 20, 0x62);
    for (let k = 0; k < 100; k++) writeSync(fd, mb);
    closeSync(fd);
    const small = runCli(['analyze', '--json', join(root, 'crlf.log')], { measure: true });
    const big = runCli(['analyze', '--json', f], { measure: true });
    expect(big.code, big.stderr).toBe(0);
    const i = JSON.parse(big.stdout).inputs[0];
    expect(i).toMatchObject({ lines: 1, unparsed: 0, format: 'syslog' });
    expect(i.warnings[0].message).toMatch(/cut to/);
    // Bounded: the 100 MB line costs little over a 1 KB input (the line buffer is MAX_LINE_BYTES).
    console.log(`peak RSS: ${small.peakMb!.toFixed(0)} MB on 1 KB, ${big.peakMb!.toFixed(0)} MB on 100 MB without newline`);
    expect(big.peakMb! - small.peakMb!).toBeLessThan(64);
  });
});
