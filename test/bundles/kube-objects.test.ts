import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../src/model/event.js';
import { kubeObjectsFormat, splitJsonDocuments } from '../../src/parsers/kube-objects.js';
import { detectFormat } from '../../src/parsers/registry.js';

function parse(text: string, host?: string): { events: LogEvent[]; warnings: string[] } {
  const events: LogEvent[] = [];
  const warnings: string[] = [];
  const p = kubeObjectsFormat.create({ file: 'objs.json', host, year: 2026, tz: 'UTC', warn: (l, m) => warnings.push(`${l}: ${m}`) }, (e) => events.push(e));
  let off = 0;
  text.split('\n').forEach((l, i) => {
    p.line(l, i + 1, off);
    off += Buffer.byteLength(l) + 1;
  });
  p.end();
  return { events, warnings };
}

const RS = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'radarr-7d9f5c6b8', namespace: 'media' }, spec: { replicas: 1, selector: { matchLabels: { app: 'radarr' } } }, status: { replicas: 1, terminatingReplicas: 1 } };
const POD = (name: string, labels: Record<string, string>, waiting?: string) => ({
  metadata: { name, namespace: 'media', labels },
  spec: { nodeName: 'k8s03' },
  status: { phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: waiting ? { waiting: { reason: waiting } } : { running: {} } }] },
});

describe('kube-objects', () => {
  it('detects kubectl JSON (pretty List, compact object) but not journal JSON or plain logs', () => {
    const pretty = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [RS] }, null, 4).split('\n');
    expect(detectFormat(pretty)?.id).toBe('kube-objects');
    expect(detectFormat([JSON.stringify(RS)])?.id).toBe('kube-objects');
    expect(detectFormat(['{"__REALTIME_TIMESTAMP":"1","MESSAGE":"x","_HOSTNAME":"h"}'])?.id).not.toBe('kube-objects');
    expect(kubeObjectsFormat.detect(['May 28 20:10:02 k8s02 kernel: x'])).toBe(0);
  });

  it('a pretty-printed List: one snapshot per item at the line where the item starts, trimmed object in data', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [RS, { apiVersion: 'v1', kind: 'Pod', ...POD('sonarr-0', { app: 'sonarr' }, 'ContainerCreating') }] };
    const text = JSON.stringify(list, null, 4);
    const { events, warnings } = parse(text, 'cluster');
    expect(warnings).toEqual([]);
    const rs = events.find((e) => e.msg.startsWith('ReplicaSet'))!;
    expect(rs.msg).toBe('ReplicaSet media/radarr-7d9f5c6b8 replicas=1 readyReplicas=0 specReplicas=1 terminatingReplicas=1 selector=app=radarr matchingPods=0');
    expect(rs.line).toBe(text.split('\n').findIndex((l) => l === '        {') + 1);
    expect((rs.data?.object as { spec: unknown }).spec).toEqual({ replicas: 1, selector: { matchLabels: { app: 'radarr' } } });
    expect(Number.isNaN(rs.ts)).toBe(true); // placed at the file's time by the reader
    const pod = events.find((e) => e.msg.startsWith('Pod'))!;
    expect(pod.host).toBe('k8s03');
    expect(pod.msg).toBe('Pod media/sonarr-0 phase=Pending node=k8s03 ready=0/1 restarts=0 waiting=ContainerCreating');
    expect(events.find((e) => e.msg.startsWith('Container'))?.msg).toBe('Container media/sonarr-0/app waiting=ContainerCreating restarts=0 lastTermination=- node=k8s03');
  });

  it('typed lists (cluster-info dump) give items their kind; matching pods are counted by selector', () => {
    const text = [JSON.stringify({ kind: 'ReplicaSetList', apiVersion: 'apps/v1', items: [{ ...RS, kind: undefined }] }), JSON.stringify({ kind: 'PodList', apiVersion: 'v1', items: [POD('radarr-7d9f5c6b8-x', { app: 'radarr' })] })].join('\n');
    const { events } = parse(text);
    expect(events.find((e) => e.msg.startsWith('ReplicaSet'))?.msg).toMatch(/matchingPods=1$/);
  });

  it('a single object; Node facts', () => {
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'k8s03' }, status: { conditions: [{ type: 'Ready', status: 'True' }], volumesInUse: ['a', 'b'], volumesAttached: [] } };
    const { events } = parse(JSON.stringify(node, null, 2));
    expect(events).toHaveLength(1);
    expect(events[0].msg).toBe('Node k8s03 ready=True volumesInUse=2 volumesAttached=0');
    expect(events[0].host).toBe('k8s03');
  });

  it('a cluster-info dump stream: JSON documents between pod log sections', () => {
    const text = [JSON.stringify({ kind: 'NodeList', apiVersion: 'v1', items: [] }, null, 4), '==== START logs for container app of pod media/sonarr-0 ====', 'some { log line', '==== END logs for container app of pod media/sonarr-0 ====', JSON.stringify({ kind: 'ReplicaSetList', apiVersion: 'apps/v1', items: [RS] }, null, 4)].join('\n');
    expect(splitJsonDocuments(text)).toHaveLength(2);
    expect(parse(text).events.map((e) => e.msg.split(' ')[0])).toEqual(['ReplicaSet']);
  });

  it('truncated or broken JSON: a warning, no throw', () => {
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [RS] }, null, 4);
    expect(parse(text.slice(0, text.length / 2)).warnings[0]).toMatch(/no complete JSON document/);
    const bad = parse('{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": x}}');
    expect(bad.events).toEqual([]);
    expect(bad.warnings[0]).toMatch(/not parsed/);
  });
});

describe('expandInputs --at', () => {
  it('replaces the time of snapshot inputs only', async () => {
    const { expandInputs } = await import('../../src/bundles/expand.js');
    const { memoryInput } = await import('../../src/pipeline/plan.js');
    const at = Date.parse('2026-05-28T11:30:00Z') * 1000;
    const old = new Date('2026-06-01T00:00:00Z');
    const out = [];
    for await (const p of expandInputs([memoryInput('rs.json', JSON.stringify(RS), undefined, old), memoryInput('syslog', 'May 28 20:10:02 k8s02 kernel: x\n', 'k8s02', old)], { at })) out.push([p.rel, p.mtime.toISOString()]);
    expect(out).toEqual([['rs.json', '2026-05-28T11:30:00.000Z'], ['syslog', old.toISOString()]]);
  });
});
