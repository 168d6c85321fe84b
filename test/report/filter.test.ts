import { describe, expect, it } from 'vitest';
import { filterReport } from '../../src/report/filter.js';
import { ForensicsError } from '../../src/model/errors.js';
import { pvek8s } from './helpers.js';

const rules = (r: ReturnType<typeof pvek8s>): string[] => r.findings.map((f) => f.rule).sort();

describe('filterReport', () => {
  it('is pure and keeps everything with an empty filter', () => {
    const r = pvek8s();
    const before = JSON.stringify(r);
    const out = filterReport(r, {});
    expect(JSON.stringify(r)).toBe(before);
    expect(out).toEqual(r);
    expect(out).not.toBe(r);
  });

  it('keeps findings at or above --min-severity', () => {
    expect(rules(filterReport(pvek8s(), { minSeverity: 'high' }))).toEqual(['k8s.eviction-burst', 'k8s.kubelet-informer-stall', 'storage.iscsi-ro-cascade']);
    expect(rules(filterReport(pvek8s(), { minSeverity: 'critical' }))).toEqual(['storage.iscsi-ro-cascade']);
    expect(filterReport(pvek8s(), { minSeverity: 'info' }).findings).toHaveLength(5);
  });

  it('keeps findings by --rule, with a prefix wildcard', () => {
    expect(rules(filterReport(pvek8s(), { rules: ['k8s.*'] }))).toEqual(['k8s.eviction-burst', 'k8s.kubelet-informer-stall']);
    expect(rules(filterReport(pvek8s(), { rules: ['net.link-flap', 'nope'] }))).toEqual(['net.link-flap']);
  });

  it('keeps findings and inputs of --host, and recomputes totals', () => {
    const out = filterReport(pvek8s(), { hosts: ['k8s03'] });
    expect(rules(out)).toEqual(['k8s.kubelet-informer-stall']);
    expect(out.inputs.map((i) => i.path)).toEqual(['k8s03/syslog', 'k8s03/kubelite-goroutines.txt', 'k8s03/journal/system.journal', 'k8s03/syslog.2.gz']);
    expect(out.meta?.lines).toBe(40122 + 28411 + 39001);
    expect(out.meta?.unparsed).toBe(2);
    expect((out as { timeline?: unknown[] }).timeline).toEqual([]);
  });

  it('keeps findings overlapping --since/--until, whole', () => {
    // 10:21:05Z falls inside the iSCSI cascade (10:21:04.512 to 10:23:41.730), after the eviction burst.
    const out = filterReport(pvek8s(), { since: '2026-05-28T10:21:05Z', until: '2026-05-28T10:50:00Z' });
    expect(rules(out)).toEqual(['app.java-unknown-host', 'storage.iscsi-ro-cascade']);
    expect(out.findings.find((f) => f.rule === 'storage.iscsi-ro-cascade')?.steps).toHaveLength(5);
    // Zones and minute precision are accepted.
    const local = filterReport(pvek8s(), { since: '2026-05-28T20:00+10:00', until: '2026-05-28T20:10+10:00' });
    expect(rules(local)).toEqual(['net.link-flap']);
    // A date alone covers the whole day.
    expect(filterReport(pvek8s(), { until: '2026-05-27' }).findings).toEqual([]);
    expect(filterReport(pvek8s(), { since: '2026-05-28', until: '2026-05-28' }).findings).toHaveLength(5);
  });

  it('filters timeline entries by time, host and severity', () => {
    const out = filterReport(pvek8s(), { since: '2026-05-28T10:20:00Z', hosts: ['k8s02'], minSeverity: 'medium' }) as { timeline?: Array<{ line: number }> };
    expect(out.timeline?.map((e) => e.line)).toEqual([5598, 19311]);
  });

  it('combines filters with AND', () => {
    expect(rules(filterReport(pvek8s(), { hosts: ['k8s01'], minSeverity: 'medium' }))).toEqual(['app.java-unknown-host']);
  });

  it('rejects times it cannot read with a usage error', () => {
    expect(() => filterReport(pvek8s(), { since: 'yesterday' })).toThrow(ForensicsError);
    expect(() => filterReport(pvek8s(), { until: '2026-13-45T99:00:00Z' })).toThrow(/--until: expected an ISO 8601 time/);
  });
});
