import { describe, expect, it } from 'vitest';
import { detectFormat, formatById, FORMATS } from '../../src/parsers/registry.js';
import { haveReal, head, parseText, readFixture, readReal } from './helpers.js';

const fixtureFormats: Array<[string, string]> = [
  ['kern.log', 'kern.log'],
  ['journal-k-short-precise.txt', 'journal'],
  ['journal-short-monotonic.txt', 'journal'],
  ['journal.jsonl', 'journal-json'],
  ['journal-export.txt', 'journal-export'],
  ['dmesg-T.txt', 'dmesg'],
  ['dmesg-x.txt', 'dmesg'],
  ['rsyslog-rfc3339.log', 'syslog'],
  ['rfc5424.log', 'syslog'],
  ['cri-java.log', 'cri'],
  ['applog-java.log', 'applog'],
  ['klog.log', 'klog'],
];

describe('detection picks the right format for each fixture file', () => {
  for (const [file, id] of fixtureFormats) {
    it(`${file} -> ${id}, every line understood`, () => {
      const text = readFixture(file);
      expect(detectFormat(head(text))?.id).toBe(id);
      const r = parseText(formatById(id)!, text);
      expect(r.unparsed).toEqual([]);
      expect(r.events.length).toBeGreaterThan(0);
    });
  }

  it('format ids are unique and every format is reachable by id', () => {
    const ids = FORMATS.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(formatById(id)?.id).toBe(id);
  });

  it('prose and empty input are not a log format', () => {
    expect(detectFormat([])).toBeUndefined();
    expect(detectFormat(['Dear team,', 'the cluster went down at noon.', 'Regards'])).toBeUndefined();
  });

  it('a syslog file with a few kernel lines stays syslog; mostly kernel lines is kern.log', () => {
    const mixed = ['May 28 20:20:05 h kernel: a', 'May 28 20:20:05 h sshd[1]: b', 'May 28 20:20:05 h cron[2]: c'];
    expect(detectFormat(mixed)?.id).toBe('syslog');
    expect(detectFormat([...mixed, 'May 28 20:20:06 h kernel: d', 'May 28 20:20:06 h kernel: e'])?.id).toBe('kern.log');
  });
});

describe.skipIf(!haveReal)('detection on real samples (../shared/realdata)', () => {
  const cases: Array<[string, string]> = [
    ['syslog/loghub-linux-2k.log.txt', 'syslog'],
    ['syslog/loghub-openssh-2k.log.txt', 'syslog'],
    ['dmesg/dmesg-raw-iscsi-did-time-out-swap-read-error-6x.txt', 'dmesg'],
    ['dmesg/dmesg-raw-iscsi-lio-loopback-swap-ioerror-6x.txt', 'dmesg'],
    ['dmesg/dmesg-notimestamp-longhorn-iscsi-offline-jbd2-abort.txt', 'kernel-text'],
    ['goroutine/gostackparse-waitsince.txt', 'goroutine'],
    ['goroutine/stapelberg-sigquit-go1.23-gp-m-mp-fp-sp-pc.txt', 'goroutine'],
  ];
  for (const [file, id] of cases) it(`${file} -> ${id}`, () => expect(detectFormat(head(readReal(file)))?.id).toBe(id));
});
if (!haveReal) console.warn('parsers/detect: ../shared/realdata missing, real-sample detection skipped');
