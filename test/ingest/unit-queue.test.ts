import { describe, expect, it } from 'vitest';
import { UnitQueue } from '../../src/ingest/unit-queue.js';

/** Units as [format, MB], indexed by position; the queue gets them largest first. */
function queueOf(units: Array<[string, number]>): UnitQueue {
  const order = units.map((_, i) => i).sort((a, b) => units[b][1] - units[a][1] || a - b);
  return new UnitQueue(order, (i) => units[i][0]);
}

describe('UnitQueue', () => {
  it('hands out one format largest first, to any reader, then -1', () => {
    const q = queueOf([['syslog', 10], ['syslog', 30], ['syslog', 20]]);
    expect([q.take(0), q.take(1), q.take(0), q.take(1)]).toEqual([1, 2, 0, -1]);
  });

  it('starts a second reader on a format nobody is reading, and keeps each reader to its format', () => {
    // The bench folder: 3 journal JSON files, 3 syslogs, 3 small kern.logs.
    const q = queueOf([['json', 476], ['json', 476], ['json', 476], ['syslog', 190], ['syslog', 190], ['syslog', 190], ['kern', 9], ['kern', 9], ['kern', 9]]);
    expect(q.take(0)).toBe(0); // json
    expect(q.take(1)).toBe(3); // syslog: json is being read
    expect(q.take(1)).toBe(4);
    expect(q.take(0)).toBe(1);
    expect(q.take(1)).toBe(5);
    // Reader 1's format is done: the one nobody reads (kern), not reader 0's json.
    expect(q.take(1)).toBe(6);
    expect(q.take(1)).toBe(7);
    expect(q.take(1)).toBe(8);
    // Only json is left: reader 1 joins reader 0 on it.
    expect(q.take(1)).toBe(2);
    expect(q.take(0)).toBe(-1);
  });

  it('takes the largest unit when every format left is being read', () => {
    const q = queueOf([['a', 5], ['b', 50], ['a', 40], ['b', 30]]);
    expect(q.take(0)).toBe(1); // b, largest
    expect(q.take(1)).toBe(2); // a: b is being read
    expect(q.take(2)).toBe(3); // a and b both read: the largest left
    expect(q.size).toBe(1);
  });
});
