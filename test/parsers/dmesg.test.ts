import { describe, expect, it } from 'vitest';
import { isoFromMicros } from '../../src/model/time.js';
import { dmesgFormat } from '../../src/parsers/dmesg.js';
import { kernelTextFormat, kernelVocabularyShare } from '../../src/parsers/kernel-text.js';
import { haveReal, parseLines, parseText, readFixture, readReal } from './helpers.js';

describe('dmesg forms', () => {
  it('-T: ctime read in the configured zone, indented line joins the previous message', () => {
    const r = parseText(dmesgFormat, readFixture('dmesg-T.txt'), { tz: 'Australia/Brisbane', host: 'k8s02' });
    expect(r.unparsed).toEqual([]);
    expect(r.events).toHaveLength(6);
    expect(r.events[0]).toMatchObject({ quality: 'zone-assumed', precision: 1e6, host: 'k8s02', program: 'kernel' });
    expect(isoFromMicros(r.events[0]!.ts)).toBe('2026-05-28T10:20:05.000Z');
    const ata = r.events[4]!;
    expect(ata).toMatchObject({ line: 5, lines: 2 });
    expect(ata.msg).toBe('ata1.00: cmd 60/20:40:00:37:c7/00:00:47:00:00/40 tag 8 ncq dma 16384 in\nres 41/84:20:00:37:c7/00:00:47:00:00/00 Emask 0x410 (ATA bus error) <F>');
    expect(r.events[5]!.line).toBe(7);
  });

  it('-x: priority from the level, facility in data, relative mono time', () => {
    const r = parseText(dmesgFormat, readFixture('dmesg-x.txt'));
    expect(r.unparsed).toEqual([]);
    expect(r.events.map((e) => e.priority)).toEqual([6, 3, 3, 3, 1, 6]);
    expect(r.events[1]).toMatchObject({ quality: 'relative', mono: 1584.148816, msg: ' connection4:0: detected conn error (1022)', program: 'kernel' });
    expect(r.events[5]).toMatchObject({ program: undefined, data: { facility: 'daemon' } });
  });

  it('-r and --time-format iso; unknown shapes are not understood', () => {
    const r = parseLines(dmesgFormat, ['<3>[ 1.5] x', '2026-05-28T20:21:09,123456+10:00 y', 'kern  :bogus : [ 1.0] z', 'plain text', '   orphan continuation']);
    expect(r.events[0]).toMatchObject({ priority: 3, mono: 1.5, precision: 100000 });
    expect(isoFromMicros(r.events[1]!.ts)).toBe('2026-05-28T10:21:09.123456Z');
    // Line 5 is indented: it continues line 2's message.
    expect(r.unparsed).toEqual([3, 4]);
    expect(r.events[1]!.lines).toBe(4);
  });
});

describe.skipIf(!haveReal)('real dmesg samples (../shared/realdata/dmesg)', () => {
  it('raw LIO loopback: 36 lines, left-padded mono, leading-space iscsi messages', () => {
    const r = parseText(dmesgFormat, readReal('dmesg/dmesg-raw-iscsi-lio-loopback-swap-ioerror-6x.txt'), { host: 'lab' });
    expect(r.unparsed).toEqual([]);
    expect(r.events).toHaveLength(36);
    expect(r.events[0]).toMatchObject({ mono: 1576.866364, quality: 'relative', host: 'lab', precision: 1 });
    expect(Number.isNaN(r.events[0]!.ts)).toBe(true);
    expect(r.events[2]!.msg).toBe(' connection4:0: detected conn error (1022)');
    expect(r.events.some((e) => e.msg.startsWith('Write-error on swap-device (8:80:535552)'))).toBe(true);
  });

  it('raw DID_TIME_OUT: 34 lines, cmd_age and CDB lines', () => {
    const r = parseText(dmesgFormat, readReal('dmesg/dmesg-raw-iscsi-did-time-out-swap-read-error-6x.txt'));
    expect(r.unparsed).toEqual([]);
    expect(r.events).toHaveLength(34);
    expect(r.events[0]).toMatchObject({ mono: 1926.637286, msg: 'sd 5:0:0:0: [sde] tag#148 CDB: Read(10) 28 00 00 19 93 d8 00 00 08 00' });
    expect(r.events[3]!.msg).toContain('hostbyte=DID_TIME_OUT driverbyte=DRIVER_OK cmd_age=124s');
  });

  it('no timestamps: 49 lines -> 48 kernel events with no time, the indented ATA line joined', () => {
    const text = readReal('dmesg/dmesg-notimestamp-longhorn-iscsi-offline-jbd2-abort.txt');
    const r = parseText(kernelTextFormat, text, { host: 'node1' });
    expect(r.unparsed).toEqual([]);
    expect(r.events).toHaveLength(48);
    expect(r.events.every((e) => Number.isNaN(e.ts) && e.quality === 'none' && e.program === 'kernel' && e.host === 'node1')).toBe(true);
    expect(r.events[3]).toMatchObject({ line: 4, lines: 2 });
    expect(r.events[24]).toMatchObject({ line: 26, msg: ' session2: session recovery timed out after 120 secs' });
    expect(r.events[47]!.msg).toBe('EXT4-fs (sdc): I/O error while writing superblock');
    expect(kernelVocabularyShare(text.split('\n'))).toBe(1);
  });
});
if (!haveReal) console.warn('parsers/dmesg: ../shared/realdata missing, real-sample tests skipped');

describe('kernel text detection', () => {
  it('scores below a timestamped format and ignores prose', () => {
    expect(kernelTextFormat.detect(['sd 5:0:0:1: rejecting I/O to offline device'])).toBeCloseTo(0.9);
    expect(kernelTextFormat.detect(['hello world', 'nothing kernel here'])).toBe(0);
  });
});
