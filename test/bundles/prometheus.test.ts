import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src/model/event.js';
import { parseSample, prometheusFormat, volumeManagerStalls } from '../../src/parsers/prometheus.js';
import { detectFormat } from '../../src/parsers/registry.js';

const corpus = resolve(import.meta.dirname, '../../corpus');

function parse(text: string): { events: LogEvent[]; unparsed: number } {
  const events: LogEvent[] = [];
  let unparsed = 0;
  const p = prometheusFormat.create({ file: 'metrics', host: 'k8s03', year: 2026, tz: 'UTC', warn: () => undefined }, (e) => events.push(e));
  text.split('\n').forEach((l, i) => {
    if (!p.line(l, i + 1, 0)) unparsed++;
  });
  p.end();
  return { events, unparsed };
}

describe('prometheus text exposition', () => {
  it('parses samples with labels, escapes, special values and timestamps', () => {
    expect(parseSample('up 1')).toEqual({ metric: 'up', labels: {}, value: 1 });
    expect(parseSample('x{a="b\\"c",d="e\\\\f"} -Inf 1779967800000')).toEqual({ metric: 'x', labels: { a: 'b"c', d: 'e\\f' }, value: -Infinity, timestampMs: 1779967800000 });
    expect(parseSample('x{a="b"} 1.5e+06')?.value).toBe(1.5e6);
    expect(parseSample('x{a="b} 1')).toBeUndefined();
    expect(parseSample('May 28 20:10:02 k8s02 kernel: x')).toBeUndefined();
  });

  it('detects a scrape, not syslog', () => {
    expect(detectFormat(['# HELP up x', '# TYPE up gauge', 'up 1'])?.id).toBe('prometheus');
    expect(prometheusFormat.detect(['May 28 20:10:02 k8s02 kernel: x'])).toBe(0);
  });

  it('corpus scrape of k8s03 after the outage: samples as events of the host at their time, one derived stall for iSCSI', () => {
    const text = readFileSync(resolve(corpus, 'bundle-pvek8s-2026-05-28-outage/k8s03/kubelet-metrics.prom'), 'utf8');
    const { events, unparsed } = parse(text);
    expect(unparsed).toBe(0);
    expect(events.every((e) => e.host === 'k8s03' && e.format === 'prometheus')).toBe(true);
    // Histogram buckets are not events; _sum and _count are.
    expect(events.some((e) => e.msg.includes('_bucket'))).toBe(false);
    const desired = events.find((e) => e.msg.startsWith('volume_manager_total_volumes{plugin_name="kubernetes.io/iscsi"'))!;
    expect(desired.data).toEqual({ metric: 'volume_manager_total_volumes', labels: { plugin_name: 'kubernetes.io/iscsi', state: 'desired_state_of_world' }, value: 4 });
    expect(new Date(desired.ts / 1000).toISOString()).toBe('2026-05-28T11:30:00.000Z');
    const stalls = events.filter((e) => e.msg.startsWith('volume manager stalled'));
    expect(stalls.map((e) => e.msg)).toEqual(['volume manager stalled: plugin=kubernetes.io/iscsi desired_state_of_world=4 actual_state_of_world=absent storage_operations=0']);
    const healthy = parse(readFileSync(resolve(corpus, 'bundle-healthy-cluster-state/k8s03/kubelet-metrics.prom'), 'utf8'));
    expect(healthy.events.filter((e) => e.msg.startsWith('volume manager stalled'))).toEqual([]);
  });

  it('a plugin with storage operations but no actual series is not a stall', () => {
    expect(volumeManagerStalls([
      { metric: 'volume_manager_total_volumes', labels: { plugin_name: 'p', state: 'desired_state_of_world' }, value: 2 },
      { metric: 'storage_operation_duration_seconds_count', labels: { volume_plugin: 'p' }, value: 3 },
    ])).toEqual([]);
  });
});
