import { describe, expect, it } from 'vitest';
import { AnchorLineCache, monoAt } from '../../src/ingest/anchor-lines.js';
import { loadRules } from '../../src/rules/loader.js';
import { Classifier } from '../../src/rules/signatures.js';
import { planInputs } from '../../src/pipeline/plan.js';
import { ingestInputs } from '../../src/pipeline/ingest.js';
import { syslogFormat } from '../../src/parsers/syslog.js';
import type { LogEvent } from '../../src/model/event.js';
import { Rng } from '../../tools/loggen/rng.js';
import { makeTree } from '../helpers.js';

const MARKER = Buffer.from('kernel: [');

/** The event the syslog parser gives for one line. */
function parse(line: string): LogEvent {
  let ev: LogEvent | undefined;
  const p = syslogFormat.create({ file: 'kern.log', host: undefined, year: 2026, tz: 'Australia/Brisbane', warn: () => {} }, (e) => (ev = e));
  p.line(line, 1, 0);
  p.end();
  return ev!;
}

describe('monoAt', () => {
  it('reads the stamp exactly as Number() does', () => {
    const rng = new Rng(11);
    for (let i = 0; i < 5000; i++) {
      const int = String(rng.int(0, 10 ** rng.int(1, 8)));
      const frac = String(rng.int(0, 10 ** 6)).padStart(rng.int(1, 7), '0').slice(0, 9);
      const stamp = `${int}.${frac}`;
      const buf = Buffer.from(`[${stamp.padStart(12)}] msg`);
      expect(monoAt(buf, 0, buf.length)).toBe(Number(stamp));
    }
  });

  it('refuses what the parser would not take as a stamp, and a klog header after it', () => {
    for (const s of ['[ 1234] x', '[ 12a4.5] x', '[1.2.3] x', '[ 1234.5 x', '[  12345678901234567890123.5] x', '[ 1.5] I0528 10:21:04.123456 1 x.go:1] m']) {
      const buf = Buffer.from(s);
      expect(monoAt(buf, 0, buf.length), s).toBeNaN();
    }
    const ipvs = Buffer.from('[ 1.5] IPVS: rr: TCP 10.0.0.1:53 - no destination available');
    expect(monoAt(ipvs, 0, ipvs.length)).toBe(1.5);
  });
});

describe('AnchorLineCache', () => {
  const remembered = (line: string, parses = 1): AnchorLineCache => {
    const c = new AnchorLineCache();
    c.remember(Buffer.from(line), 0, parse(line), parses, MARKER);
    return c;
  };
  const lookup = (c: AnchorLineCache, line: string, parses = 1): number => {
    const buf = Buffer.from(line);
    return c.lookup(buf, 0, buf.indexOf(MARKER), MARKER.length, buf.length, parses);
  };

  it('gives the time the parser gives to a line of the same host and minute', () => {
    const c = remembered('May 28 00:00:10 k8s01 kernel: [ 3610.577075] cni0: port 11 entered forwarding state');
    for (const line of ['May 28 00:00:10 k8s01 kernel: [ 3610.778847] audit: type=1400', 'May 28 00:00:59 k8s01 kernel: [ 3659.1] x', 'May 28 00:00:02 k8s01 kernel: [ 3602.5] back in time']) {
      const e = parse(line);
      expect(lookup(c, line)).toBe(e.ts);
      expect(c.mono).toBe(e.mono);
      expect(c.host).toBe(e.host);
      expect(c.precision).toBe(e.precision);
      expect(c.quality).toBe(e.quality);
    }
  });

  it('refuses another minute, another host, a line parsed in between, and a klog header', () => {
    const c = remembered('<6>May 28 00:00:10 k8s01 kernel: [ 3610.577075] a', 4);
    expect(lookup(c, '<6>May 28 00:00:11 k8s01 kernel: [ 3611.5] b', 4)).toBe(parse('<6>May 28 00:00:11 k8s01 kernel: [ 3611.5] b').ts);
    expect(lookup(c, '<6>May 28 00:01:10 k8s01 kernel: [ 3670.5] b', 4)).toBeNaN();
    expect(lookup(c, '<6>May 28 00:00:10 k8s02 kernel: [ 3610.6] b', 4)).toBeNaN();
    expect(lookup(c, '<3>May 28 00:00:10 k8s01 kernel: [ 3610.6] b', 4)).toBeNaN();
    expect(lookup(c, '<6>May 28 00:00:10 k8s01 kernel: [ 3610.6] b', 5)).toBeNaN();
    expect(lookup(c, '<6>May 28 00:00:10 k8s01 kernel: [ 3610.6] E0528 00:00:10.600000 1 x.go:1] m', 4)).toBeNaN();
  });

  it('compares an RFC 3339 header whole (its fraction is part of the time)', () => {
    const c = remembered('2026-05-28T00:00:10.123456+10:00 k8s01 kernel: [ 3610.5] a');
    expect(lookup(c, '2026-05-28T00:00:10.123456+10:00 k8s01 kernel: [ 3610.6] b')).toBe(parse('2026-05-28T00:00:10.123456+10:00 k8s01 kernel: [ 3610.6] b').ts);
    expect(lookup(c, '2026-05-28T00:00:10.223456+10:00 k8s01 kernel: [ 3610.6] b')).toBeNaN();
  });

  it('remembers only kernel lines with both clocks', () => {
    const c = remembered('May 28 00:00:10 k8s01 kubelite[123]: kernel: [ 3610.5] quoted');
    expect(lookup(c, 'May 28 00:00:10 k8s01 kubelite[123]: kernel: [ 3610.6] quoted')).toBeNaN();
  });
});

describe('kernel lines skipped by the anchor cache give the reference boots', () => {
  it('two boots in one minute, hosts interleaved, a literal between, dmesg anchored the same', async () => {
    const kern: string[] = [];
    let mono = 3600;
    for (let s = 0; s < 240; s++) {
      const hh = `00:0${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
      // A reboot of k8s01 half-way through a minute: its monotonic clock starts again.
      if (s === 130) mono = 0.5;
      for (let k = 0; k < 3; k++) {
        mono += 0.137;
        kern.push(`May 28 ${hh} k8s01 kernel: [${mono.toFixed(6).padStart(12)}] cni0: port ${k} entered forwarding state`);
        if (k === 1 && s % 7 === 0) kern.push(`May 28 ${hh} k8s02 kernel: [${(mono + 50).toFixed(6).padStart(12)}] IPVS: rr: TCP 10.0.0.1:53 - no destination available`);
      }
      if (s % 50 === 0) kern.push(`May 28 ${hh} k8s01 kernel: [${mono.toFixed(6).padStart(12)}] connection1:0: detected conn error (1020)`);
    }
    const dmesg = ['[    1.000000] Linux version 6.8.0', '[   20.250000] connection1:0: detected conn error (1020)', '[   21.000000] sd 2:0:0:0: rejecting I/O to offline device'];
    const dir = makeTree({ 'k8s01/kern.log': kern.join('\n') + '\n', 'k8s01/dmesg': dmesg.join('\n') + '\n' });
    const rules = await loadRules([], { builtin: true });
    const run = async (fast: false | { chunkBytes?: number }): Promise<string[]> => {
      const { planned } = await planInputs([dir]);
      const ing = await ingestInputs(planned, new Classifier(rules), { tz: 'Australia/Brisbane', year: 2026, rules, jobs: 1, fast });
      return ing.store.all().map((e) => JSON.stringify([e.file, e.line, e.ts, e.quality, e.msg]));
    };
    const ref = await run(false);
    expect(ref.some((r) => r.includes('k8s01/dmesg') && r.includes('boot-anchored'))).toBe(true);
    expect(await run({})).toEqual(ref);
    expect(await run({ chunkBytes: 4096 })).toEqual(ref);
  });
});
