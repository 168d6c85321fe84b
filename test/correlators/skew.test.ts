import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { makeTree } from '../helpers.js';

// The controller-manager on cp deletes pods; the kubelet on node-b kills their containers ~0.5 s later
// in real time, but node-b's clock is 90 s ahead.
function logs(): string {
  const pods = ['openebs/pvc-1-jiva-ctrl-a', 'openebs/pvc-2-jiva-ctrl-b', 'openebs/pvc-3-jiva-ctrl-c', 'openebs/pvc-4-jiva-ctrl-d'];
  const cp: string[] = [];
  const nb: string[] = [];
  pods.forEach((pod, i) => {
    const s = 10 + i * 7;
    cp.push(`May 28 10:21:${s} cp microk8s.daemon-kubelite[2]: I0528 10:21:${s}.100000 2 taint_eviction.go:111] "Deleting pod" controller="taint-eviction-controller" pod="${pod}"`);
    nb.push(`May 28 10:22:${s + 30} node-b microk8s.daemon-kubelite[3]: I0528 10:22:${s + 30}.600000 3 kuberuntime_container.go:809] "Killing container with a grace period" pod="${pod}" gracePeriod=30`);
  });
  return makeTree({ 'cp/syslog': `${cp.join('\n')}\n`, 'node-b/syslog': `${nb.join('\n')}\n` });
}

describe('clock skew between hosts', () => {
  it('is estimated from nearly simultaneous events, with its uncertainty', async () => {
    const r = await analyze([logs()], { tz: 'UTC', year: 2026 });
    const skew = r.meta?.clockSkew ?? [];
    expect(skew).toHaveLength(1);
    const s = skew[0];
    expect(s.reference).toBe('cp');
    expect(s.host).toBe('node-b');
    expect(s.pairs).toBe(4);
    // True offset +90 s; the kubelet reacts 0.5 s later, inside the expected 0-2 s.
    expect(Math.abs(s.offsetMs - 90_000)).toBeLessThanOrEqual(s.uncertaintyMs);
    expect(s.uncertaintyMs).toBeLessThan(2_000);
  });

  it('--correct-skew shifts the host onto the reference clock', async () => {
    const r = await analyze([logs()], { tz: 'UTC', year: 2026, correctSkew: true, timeline: true });
    expect(r.meta?.skewCorrected).toBe(true);
    const kill = r.timeline!.find((t) => t.host === 'node-b')!;
    // 10:22:40.6 on node-b's clock is about 10:21:10.6 on the reference clock.
    expect(Math.abs(Date.parse(kill.time) - Date.parse('2026-05-28T10:21:10.600Z'))).toBeLessThanOrEqual(1_500);
  });
});
