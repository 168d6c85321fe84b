import { Readable } from 'node:stream';
import { headLines, sniffBuffer } from '../input/sniff.js';
import { isoFromMicros } from '../model/time.js';
import type { PlannedInput } from '../pipeline/plan.js';
import { detectFormat } from '../parsers/registry.js';
import { crossObjectFacts, MAX_KUBE_JSON_BYTES, objectsOf, SNAPSHOT_AT_ANNOTATION, splitJsonDocuments, trimObject, type KubeObject } from '../parsers/kube-objects.js';
import { forEachMember, isArchiveInput } from './archive.js';

/** Options of {@link expandInputs}. */
export interface ExpandOptions {
  /**
   * Time of state snapshots (UTC µs, as `--at`): replaces the modification time of inputs read as
   * `kube-objects` or `prometheus`, which otherwise place their snapshots at that time.
   */
  at?: number;
  /** A problem with an archive or a dump, for the input table (`rel` of the archive / dump folder). */
  warn?: (rel: string, message: string) => void;
}

const SNAPSHOT_FORMATS = new Set(['kube-objects', 'prometheus']);

/**
 * Replaces archives by their members (streamed one at a time: the consumer must finish reading a
 * yielded input before asking for the next) and completes `kubectl cluster-info dump` folders: pod
 * logs get their node as host, and one derived input (`<dump>/(cross-object state).json`) carries the
 * facts that need several files (pods matching a ReplicaSet, ContainerCreating pods of a node).
 * Other inputs pass through unchanged.
 */
export async function* expandInputs(planned: readonly PlannedInput[], options: ExpandOptions = {}): AsyncGenerator<PlannedInput> {
  const warn = options.warn ?? (() => undefined);
  const dumps = await planDumps(planned, options, warn);
  for (const p of planned) {
    if (isArchiveInput(p)) {
      yield* membersOf(p, options, warn);
      continue;
    }
    const dump = dumps.hosts.get(p.rel);
    yield withAt(dump !== undefined ? { ...p, host: dump } : p, options.at);
  }
  yield* dumps.derived;
}

function withAt(p: PlannedInput, at: number | undefined): PlannedInput {
  if (at === undefined || p.sniffed.binary) return p;
  const f = detectFormat(headLines(p.sniffed));
  return f && SNAPSHOT_FORMATS.has(f.id) ? { ...p, mtime: new Date(at / 1000) } : p;
}

/** Adapts the callback-based member walk to a generator, keeping one member in flight. */
async function* membersOf(p: PlannedInput, options: ExpandOptions, warn: (rel: string, message: string) => void): AsyncGenerator<PlannedInput> {
  const DONE = Symbol('done');
  const queue: Array<PlannedInput | typeof DONE> = [];
  let notify: (() => void) | undefined;
  let release: (() => void) | undefined;
  const push = (x: PlannedInput | typeof DONE): void => {
    queue.push(x);
    notify?.();
  };
  const run = forEachMember(
    { rel: p.rel, host: p.host, open: p.open, compression: p.sniffed.compression, mtime: p.mtime },
    (m) => new Promise<void>((resolve) => {
      release = resolve;
      push(m);
    }),
    (message) => warn(p.rel, message),
  ).then(
    (stats) => {
      if (stats.ignored > 0) warn(p.rel, `${stats.ignored} member(s) the bundle layout marks as not logs were not read`);
      push(DONE);
    },
    (err: Error) => {
      warn(p.rel, `archive not read: ${err.message}`);
      push(DONE);
    },
  );
  for (;;) {
    if (queue.length === 0) await new Promise<void>((r) => (notify = r));
    notify = undefined;
    const x = queue.shift()!;
    if (x === DONE) break;
    try {
      yield withAt(x, options.at);
    } finally {
      const r = release;
      release = undefined;
      r?.();
    }
  }
  await run;
}

/** Reads a whole (re-openable) input as text, bounded. */
async function readAll(p: PlannedInput): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of p.open() as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > MAX_KUBE_JSON_BYTES) throw new Error(`larger than ${MAX_KUBE_JSON_BYTES / 1024 / 1024} MB`);
    chunks.push(c);
  }
  const buf = Buffer.concat(chunks);
  if (p.sniffed.compression === 'gzip') {
    const { gunzipSync } = await import('node:zlib');
    return gunzipSync(buf).toString('utf8');
  }
  return buf.toString('utf8');
}

/**
 * `kubectl cluster-info dump --output-directory D`: `D/nodes.json`, `D/<ns>/{pods,replicasets,...}.json`,
 * `D/<ns>/<pod>/logs.txt` (or `.../<pod>/<container>/logs.txt`). Folder inputs only: archive members
 * are single-use streams and keep their archive's host.
 */
async function planDumps(planned: readonly PlannedInput[], options: ExpandOptions, warn: (rel: string, message: string) => void): Promise<{ hosts: Map<string, string>; derived: PlannedInput[] }> {
  const hosts = new Map<string, string>();
  const derived: PlannedInput[] = [];
  const roots = planned.filter((p) => /(^|\/)nodes\.json$/.test(p.rel) && !p.rel.includes('!/')).map((p) => p.rel.slice(0, -'nodes.json'.length));
  for (const root of roots) {
    const mine = planned.filter((p) => p.rel.startsWith(root) && !p.rel.includes('!/'));
    const objects: KubeObject[] = [];
    let newest = 0;
    for (const p of mine) {
      if (!p.rel.endsWith('.json')) continue;
      try {
        const text = await readAll(p);
        for (const d of splitJsonDocuments(text)) objects.push(...objectsOf(JSON.parse(text.slice(d.start, d.end))));
        newest = Math.max(newest, p.mtime.getTime());
      } catch (err) {
        warn(p.rel, `cluster-info dump: not read for cross-object facts (${(err as Error).message})`);
      }
    }
    const podNode = new Map<string, string>();
    for (const o of objects) {
      const node = o.kind === 'Pod' ? o.spec?.nodeName : undefined;
      if (typeof node === 'string') podNode.set(`${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`, node);
    }
    for (const p of mine) {
      const m = /^([^/]+)\/([^/]+)\/(?:[^/]+\/)?logs\.txt$/.exec(p.rel.slice(root.length));
      const node = m ? podNode.get(`${m[1]}/${m[2]}`) : undefined;
      if (node) hosts.set(p.rel, node);
    }
    const facts = crossObjectFacts(objects);
    if (!facts) continue;
    // Only the objects whose message gains a fact are repeated, with the pods that decide it.
    const keep = objects.filter((o) => o.kind === 'ReplicaSet' || o.kind === 'Node' || o.kind === 'Pod').map((o) => trimObject(o));
    const at = options.at ?? (newest > 0 ? newest * 1000 : Date.now() * 1000);
    const first = keep[0] as { metadata: Record<string, unknown> } | undefined;
    if (first) first.metadata = { ...first.metadata, annotations: { [SNAPSHOT_AT_ANNOTATION]: isoFromMicros(at) } };
    const body = Buffer.from(`${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: keep }, null, 1)}\n`);
    derived.push({
      rel: `${root}(cross-object state).json`,
      host: undefined,
      sniffed: sniffBuffer(body.subarray(0, 64 * 1024)),
      size: body.length,
      mtime: new Date(at / 1000),
      open: () => Readable.from([body]),
    });
  }
  return { hosts, derived };
}
