import { describe, expect, it } from 'vitest';
import { isoFromMicros } from '../../src/model/time.js';
import { appLogFormat, criLogFormat, podFromPath } from '../../src/parsers/applog.js';
import { isContinuation } from '../../src/parsers/multiline.js';
import { parseLines, parseText, readFixture } from './helpers.js';

const podFile = 'k8s02/var/log/pods/openebs_pvc-writer-7d9f_0f1e2d3c-aaaa-bbbb-cccc-1234567890ab/writer/2.log';

describe('CRI pod logs', () => {
  it('joins P parts, assembles a Java stack trace into one event, names namespace/pod/container', () => {
    const r = parseText(criLogFormat, readFixture('cri-java.log'), { file: podFile, host: 'k8s02' });
    expect(r.unparsed).toEqual([]);
    expect(r.events).toHaveLength(4);
    const [start, err, partial, klog] = [r.events[0]!, r.events[1]!, r.events[2]!, r.events[3]!];
    expect(start).toMatchObject({ format: 'cri', host: 'k8s02', program: 'writer', quality: 'exact', precision: 1, msg: '2026-05-28 10:20:05,100 INFO  [main] c.x.App - starting' });
    expect(start.data).toEqual({ namespace: 'openebs', pod: 'pvc-writer-7d9f', uid: '0f1e2d3c-aaaa-bbbb-cccc-1234567890ab', container: 'writer', restart: 2, stream: 'stdout' });
    expect(err).toMatchObject({ line: 2, lines: 6 });
    expect(err.msg.split('\n')).toEqual([
      '2026-05-28 10:20:06,200 ERROR [pool-1] c.x.Db - write failed',
      'java.io.IOException: Input/output error',
      '\tat java.base/java.io.FileOutputStream.writeBytes(Native Method)',
      '\tat c.x.Db.flush(Db.java:88)',
      'Caused by: java.io.IOException: Read-only file system',
      '\t... 12 more',
    ]);
    expect(err.text.split('\n')).toHaveLength(6);
    expect(partial).toMatchObject({ line: 8, lines: 3, msg: 'a partial line that goes on over three records' });
    expect(isoFromMicros(partial.ts)).toBe('2026-05-28T10:20:07.000Z');
    expect(klog.klog).toMatchObject({ severity: 'I', kv: { volume: 'pvc-1' } });
  });

  it('warns about a trailing partial line and still emits it', () => {
    const r = parseLines(criLogFormat, ['2026-05-28T10:20:07Z stdout P cut'], {});
    expect(r.events[0]!.msg).toBe('cut');
    expect(r.warnings[0]!.line).toBe(1);
  });

  it('podFromPath knows pods/ (with and without uid) and containers/ layouts', () => {
    expect(podFromPath('/var/log/pods/kube-system_coredns-5d78c9869d-abcde/coredns/0.log.20260528-102104.gz')).toEqual({ namespace: 'kube-system', pod: 'coredns-5d78c9869d-abcde', container: 'coredns', restart: 0 });
    expect(podFromPath(`/var/log/containers/csi-node-x2_openebs_csi-driver-${'a'.repeat(64)}.log`)).toEqual({ namespace: 'openebs', pod: 'csi-node-x2', container: 'csi-driver' });
    expect(podFromPath('/var/log/syslog')).toBeUndefined();
  });
});

describe('plain application logs', () => {
  it('levels, zone-assumed times, stack traces with Suppressed and Exception in thread follow-ups', () => {
    const r = parseText(appLogFormat, readFixture('applog-java.log'), { tz: 'Australia/Brisbane', host: 'app1' });
    expect(r.unparsed).toEqual([]);
    expect(r.events).toHaveLength(3);
    expect(r.events[0]).toMatchObject({ quality: 'zone-assumed', precision: 1000, priority: 6, msg: '[main] c.x.App - starting', host: 'app1', data: { level: 'INFO' } });
    expect(isoFromMicros(r.events[0]!.ts)).toBe('2026-05-28T10:20:05.100Z');
    expect(r.events[1]).toMatchObject({ line: 2, lines: 8, priority: 3 });
    expect(r.events[1]!.msg.endsWith('\t\tat c.x.Db.close(Db.java:99)')).toBe(true);
    // `Exception in thread` and its frames follow up the WARN record.
    expect(r.events[2]).toMatchObject({ line: 10, lines: 3, priority: 4 });
    expect(parseLines(appLogFormat, ['Exception in thread "main" java.lang.Error', '\tat a.B.c(B.java:1)']).events[0]).toMatchObject({ lines: 2, quality: 'none' });
  });

  it('orphan stack lines and untimed text are not understood', () => {
    const r = parseLines(appLogFormat, ['\tat x.Y.z(Y.java:1)', 'hello', '2026-05-28 10:00:00 ok']);
    expect(r.unparsed).toEqual([1, 2]);
  });

  it('isContinuation', () => {
    for (const l of ['\tat a.B.c(B.java:1)', '    at Object.<anonymous> (/app/x.js:1:1)', 'Caused by: x', '\t... 3 more', 'Suppressed: y', 'java.lang.IllegalStateException: z', 'Exception in thread "main" java.lang.Error']) {
      expect(isContinuation(l), l).toBe(true);
    }
    for (const l of ['2026-05-28 x', 'Connection reset', 'Error: plain']) expect(isContinuation(l), l).toBe(false);
  });
});
