import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src/model/event.js';
import { EventStore } from '../../src/store/event-store.js';

const ev = (ts: number, kind: string, host = 'h1', line = ts): LogEvent => ({
  ts, quality: 'exact', precision: 1, host, file: 'f', line, lines: 1, offset: 0, format: 'syslog', text: '', msg: '', kind,
});

describe('EventStore', () => {
  it('answers window queries by kind and host in time order, whatever the insertion order', () => {
    const s = new EventStore();
    for (const e of [ev(50, 'a'), ev(10, 'a'), ev(30, 'b'), ev(20, 'a', 'h2'), ev(40, 'a')]) s.add(e);
    expect(s.query({ kind: 'a', from: 10, to: 40 }).map((e) => e.ts)).toEqual([10, 20, 40]);
    expect(s.query({ kind: 'a', host: 'h1', from: 15 }).map((e) => e.ts)).toEqual([40, 50]);
    expect(s.query({ kind: 'b' }).map((e) => e.ts)).toEqual([30]);
    expect(s.query({ kind: 'zzz' })).toEqual([]);
    s.add(ev(5, 'a'));
    expect(s.query({ kind: 'a', to: 10 }).map((e) => e.ts)).toEqual([5, 10]);
    expect(s.hosts()).toEqual(['h1', 'h2']);
  });

  it('keeps events without wall time apart', () => {
    const s = new EventStore();
    s.add(ev(NaN, 'a'));
    s.add(ev(1, 'a'));
    expect(s.query({ kind: 'a' }).length).toBe(1);
    expect(s.withoutTime().length).toBe(1);
    expect(s.size).toBe(2);
  });
});
