import type { LogEvent } from '../model/event.js';
import type { FormatParser, LineParser, ParseContext } from './types.js';

/** A JSON file larger than this is not parsed (it is one document, held whole in memory). */
export const MAX_KUBE_JSON_BYTES = 256 * 1024 * 1024;

/** A Kubernetes object as read from JSON (only the fields this module looks at are typed). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: Array<{ kind?: string; name?: string }> };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [k: string]: unknown;
}

/**
 * Facts that need several objects (a ReplicaSet and the pods its selector matches, a node and the
 * pods on it). Computed within one file, or over a whole `kubectl cluster-info dump` by the bundle
 * code, and printed into the snapshot's message so that signatures can read them.
 */
export interface CrossObjectFacts {
  /** ReplicaSet `ns/name` -> number of pods its selector matches (set only when pods were seen). */
  matchingPods: Map<string, number>;
  /** Node name -> number of its pods with a container waiting in ContainerCreating. */
  containerCreatingPods: Map<string, number>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Splits text holding one or more concatenated JSON documents (as `kubectl cluster-info dump` prints them). */
export function splitJsonDocuments(text: string): Array<{ start: number; end: number; itemStarts: number[] }> {
  const docs: Array<{ start: number; end: number; itemStarts: number[] }> = [];
  let depth = 0;
  let inStr = false;
  let start = -1;
  let items: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inStr) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inStr = false;
      continue;
    }
    if (depth === 0) {
      // Outside documents (log sections of a dump): only an opening brace at a line start begins one.
      if (c === 123 && (i === 0 || text.charCodeAt(i - 1) === 10)) {
        start = i;
        items = [];
        depth = 1;
      }
      continue;
    }
    if (c === 34) inStr = true;
    else if (c === 123 || c === 91) {
      // Objects directly inside a top-level array (a List's items) start at depth 2.
      if (c === 123 && depth === 2) items.push(i);
      depth++;
    } else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) docs.push({ start, end: i + 1, itemStarts: items });
    }
  }
  return docs;
}

/** The objects of a parsed JSON document: a List's items (kind taken from the list kind when missing) or the object itself. */
export function objectsOf(doc: unknown): KubeObject[] {
  if (!isObj(doc)) return [];
  const kind = str(doc.kind);
  if (Array.isArray(doc.items) && (kind === undefined || kind.endsWith('List'))) {
    const itemKind = kind && kind !== 'List' ? kind.slice(0, -4) : undefined;
    return doc.items.filter(isObj).map((it) => (it.kind === undefined && itemKind ? { ...it, kind: itemKind } : it) as KubeObject);
  }
  return isKubeObject(doc) ? [doc as KubeObject] : [];
}

function isKubeObject(o: Obj): boolean {
  return typeof o.kind === 'string' && isObj(o.metadata);
}

function matches(selector: unknown, labels: Record<string, string> | undefined): boolean {
  if (!isObj(selector)) return false;
  const l = labels ?? {};
  const ml = isObj(selector.matchLabels) ? selector.matchLabels : {};
  const exprs = Array.isArray(selector.matchExpressions) ? selector.matchExpressions.filter(isObj) : [];
  // An empty selector matches nothing for a ReplicaSet (the API refuses it anyway).
  if (Object.keys(ml).length === 0 && exprs.length === 0) return false;
  for (const [k, v] of Object.entries(ml)) if (l[k] !== v) return false;
  for (const e of exprs) {
    const key = str(e.key) ?? '';
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const has = Object.prototype.hasOwnProperty.call(l, key);
    switch (e.operator) {
      case 'In': if (!has || !values.includes(l[key])) return false; break;
      case 'NotIn': if (has && values.includes(l[key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

function containerStatuses(pod: KubeObject): Obj[] {
  const st = pod.status ?? {};
  const all = [...(Array.isArray(st.initContainerStatuses) ? st.initContainerStatuses : []), ...(Array.isArray(st.containerStatuses) ? st.containerStatuses : [])];
  return all.filter(isObj);
}

function waitingReason(cs: Obj): string | undefined {
  const state = isObj(cs.state) ? cs.state : {};
  return isObj(state.waiting) ? (str(state.waiting.reason) ?? 'Waiting') : undefined;
}

/** Pods (of all the objects given) and the facts that relate them to ReplicaSets and nodes. */
export function crossObjectFacts(objects: readonly KubeObject[]): CrossObjectFacts | undefined {
  const pods = objects.filter((o) => o.kind === 'Pod');
  if (pods.length === 0) return undefined;
  const facts: CrossObjectFacts = { matchingPods: new Map(), containerCreatingPods: new Map() };
  const byNs = new Map<string, KubeObject[]>();
  for (const p of pods) {
    const ns = p.metadata?.namespace ?? '';
    const list = byNs.get(ns);
    if (list) list.push(p);
    else byNs.set(ns, [p]);
  }
  for (const rs of objects) {
    if (rs.kind !== 'ReplicaSet') continue;
    const ns = rs.metadata?.namespace ?? '';
    const n = (byNs.get(ns) ?? []).filter((p) => matches(rs.spec?.selector, p.metadata?.labels)).length;
    facts.matchingPods.set(`${ns}/${rs.metadata?.name ?? ''}`, n);
  }
  for (const p of pods) {
    const node = str(p.spec?.nodeName);
    if (!node) continue;
    const creating = containerStatuses(p).some((cs) => waitingReason(cs) === 'ContainerCreating');
    facts.containerCreatingPods.set(node, (facts.containerCreatingPods.get(node) ?? 0) + (creating ? 1 : 0));
  }
  return facts;
}

/** Merges facts computed over several files (a dump's namespaces). */
export function mergeFacts(a: CrossObjectFacts | undefined, b: CrossObjectFacts | undefined): CrossObjectFacts | undefined {
  if (!a) return b;
  if (!b) return a;
  const out: CrossObjectFacts = { matchingPods: new Map(a.matchingPods), containerCreatingPods: new Map(a.containerCreatingPods) };
  for (const [k, v] of b.matchingPods) out.matchingPods.set(k, (out.matchingPods.get(k) ?? 0) + v);
  for (const [k, v] of b.containerCreatingPods) out.containerCreatingPods.set(k, (out.containerCreatingPods.get(k) ?? 0) + v);
  return out;
}

const STATUS_KEEP = ['phase', 'replicas', 'readyReplicas', 'availableReplicas', 'terminatingReplicas', 'fullyLabeledReplicas', 'observedGeneration', 'volumesInUse', 'volumesAttached', 'conditions', 'containerStatuses', 'initContainerStatuses', 'reason', 'message', 'startTime'];
const SPEC_KEEP = ['selector', 'replicas', 'nodeName', 'unschedulable', 'taints', 'volumes'];

/** The part of an object kept in a snapshot event (`data.object`): identity, selector, replicas, status. */
export function trimObject(o: KubeObject): Record<string, unknown> {
  const pick = (src: Obj | undefined, keys: string[]): Obj => {
    const out: Obj = {};
    if (src) for (const k of keys) if (src[k] !== undefined) out[k] = src[k];
    return out;
  };
  const md = o.metadata ?? {};
  const spec = pick(o.spec, SPEC_KEEP);
  if (Array.isArray(spec.volumes)) spec.volumes = (spec.volumes as unknown[]).filter(isObj).map((v) => v.name);
  const metadata: Obj = { name: md.name };
  if (md.namespace !== undefined) metadata.namespace = md.namespace;
  if (md.labels !== undefined) metadata.labels = md.labels;
  if (md.ownerReferences !== undefined) metadata.ownerReferences = md.ownerReferences.map((r) => ({ kind: r.kind, name: r.name }));
  return { kind: o.kind, apiVersion: o.apiVersion, metadata, spec, status: pick(o.status, STATUS_KEEP) };
}

function condition(o: KubeObject, type: string): string | undefined {
  const cs = o.status?.conditions;
  if (!Array.isArray(cs)) return undefined;
  const c = cs.filter(isObj).find((x) => x.type === type);
  return c ? str(c.status) : undefined;
}

function selectorText(sel: unknown): string {
  if (!isObj(sel) || !isObj(sel.matchLabels)) return '';
  return Object.entries(sel.matchLabels).map(([k, v]) => `${k}=${String(v)}`).join(',');
}

/** One snapshot of an object: summary message, host, and (for pods) one extra line per troubled container. */
export interface Snapshot {
  msg: string;
  host: string | undefined;
  /** Extra facts (container name, restarts...) kept next to the object in `data`. */
  extra?: Record<string, unknown>;
}

/** One-line summaries of an object (`ReplicaSet media/radarr-7d9f replicas=1 terminatingReplicas=1 ...`). */
export function summarize(o: KubeObject, facts?: CrossObjectFacts): Snapshot[] {
  const md = o.metadata ?? {};
  const id = md.namespace ? `${md.namespace}/${md.name ?? '?'}` : (md.name ?? '?');
  const st = o.status ?? {};
  switch (o.kind) {
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'Deployment': {
      let msg = `${o.kind} ${id} replicas=${num(st.replicas)} readyReplicas=${num(st.readyReplicas)} specReplicas=${num(o.spec?.replicas)}`;
      if (st.terminatingReplicas !== undefined) msg += ` terminatingReplicas=${num(st.terminatingReplicas)}`;
      const sel = selectorText(o.spec?.selector);
      if (sel) msg += ` selector=${sel}`;
      const m = o.kind === 'ReplicaSet' ? facts?.matchingPods.get(id) : undefined;
      if (m !== undefined) msg += ` matchingPods=${m}`;
      return [{ msg, host: undefined }];
    }
    case 'Node': {
      const inUse = Array.isArray(st.volumesInUse) ? st.volumesInUse.length : 0;
      const attached = Array.isArray(st.volumesAttached) ? st.volumesAttached.length : 0;
      let msg = `Node ${id} ready=${condition(o, 'Ready') ?? 'Unknown'} volumesInUse=${inUse} volumesAttached=${attached}`;
      const c = facts?.containerCreatingPods.get(md.name ?? '');
      if (c !== undefined) msg += ` containerCreatingPods=${c}`;
      return [{ msg, host: md.name }];
    }
    case 'Pod': {
      const node = str(o.spec?.nodeName);
      const statuses = containerStatuses(o);
      const ready = statuses.filter((c) => c.ready === true).length;
      const restarts = statuses.reduce((a, c) => a + num(c.restartCount), 0);
      const waiting = statuses.map(waitingReason).find((r) => r !== undefined);
      let msg = `Pod ${id} phase=${str(st.phase) ?? 'Unknown'} node=${node ?? '-'} ready=${ready}/${statuses.length} restarts=${restarts}`;
      if (waiting) msg += ` waiting=${waiting}`;
      const out: Snapshot[] = [{ msg, host: node }];
      for (const cs of statuses) {
        const why = waitingReason(cs);
        const n = num(cs.restartCount);
        if (why === undefined && n === 0) continue;
        const last = isObj(cs.lastState) && isObj(cs.lastState.terminated) ? cs.lastState.terminated : undefined;
        const reason = last ? (str(last.reason) ?? 'Unknown') : '-';
        const exit = last && typeof last.exitCode === 'number' ? last.exitCode : undefined;
        const name = str(cs.name) ?? '?';
        out.push({
          msg: `Container ${id}/${name} waiting=${why ?? '-'} restarts=${n} lastTermination=${reason}${exit !== undefined ? ` exitCode=${exit}` : ''} node=${node ?? '-'}`,
          host: node,
          extra: { container: name, restarts: n, waiting: why ?? null, lastTermination: reason, exitCode: exit ?? null },
        });
      }
      return out;
    }
    default: {
      const phase = str(st.phase);
      return [{ msg: `${o.kind ?? 'Object'} ${id}${phase ? ` phase=${phase}` : ''}`, host: undefined }];
    }
  }
}

class KubeObjectsParser implements LineParser {
  private readonly parts: string[] = [];
  /** Character offset in the joined text and line number of every buffered line. */
  private readonly starts: number[] = [];
  private readonly lineNos: number[] = [];
  private readonly byteOffsets: number[] = [];
  private chars = 0;
  private refused = false;

  constructor(
    private readonly ctx: ParseContext,
    private readonly emit: (e: LogEvent) => void,
  ) {}

  line(text: string, lineNo: number, offset: number): boolean {
    if (this.refused) return true;
    if (this.chars + text.length > MAX_KUBE_JSON_BYTES) {
      this.refused = true;
      this.ctx.warn(lineNo, `JSON document larger than ${MAX_KUBE_JSON_BYTES / 1024 / 1024} MB: not parsed (it would be held whole in memory)`);
      this.parts.length = 0;
      return true;
    }
    this.starts.push(this.chars);
    this.lineNos.push(lineNo);
    this.byteOffsets.push(offset);
    this.parts.push(text);
    this.chars += text.length + 1;
    return true;
  }

  private lineAt(pos: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  end(): void {
    if (this.refused || this.parts.length === 0) return;
    const text = this.parts.join('\n');
    this.parts.length = 0;
    const docs = splitJsonDocuments(text);
    if (docs.length === 0) {
      this.ctx.warn(this.lineNos[0] ?? 1, 'no complete JSON document (truncated file?)');
      return;
    }
    const found: Array<{ o: KubeObject; pos: number; single: string | undefined }> = [];
    for (const d of docs) {
      let doc: unknown;
      try {
        doc = JSON.parse(text.slice(d.start, d.end));
      } catch (err) {
        this.ctx.warn(this.lineNos[this.lineAt(d.start)], `JSON document not parsed: ${(err as Error).message}`);
        continue;
      }
      const objs = objectsOf(doc);
      const isList = isObj(doc) && Array.isArray(doc.items);
      // A document on one line is its own evidence text; a multi-line one is shown by its summary.
      const li = this.lineAt(d.start);
      const single = this.lineAt(d.end - 1) === li ? text.slice(this.starts[li], this.starts[li] + (this.starts[li + 1] ?? text.length + 1) - this.starts[li] - 1) : undefined;
      objs.forEach((o, i) => found.push({ o, pos: isList ? (d.itemStarts[i] ?? d.start) : d.start, single }));
    }
    const facts = crossObjectFacts(found.map((f) => f.o));
    const at = snapshotTime(found);
    for (const { o, pos, single } of found) {
      const li = this.lineAt(pos);
      const data = trimObject(o);
      for (const s of summarize(o, facts)) {
        this.emit({
          ts: at,
          quality: Number.isFinite(at) ? 'exact' : 'none',
          precision: 1_000_000,
          host: s.host ?? this.ctx.host ?? 'cluster',
          file: this.ctx.file,
          line: this.lineNos[li],
          lines: 1,
          offset: this.byteOffsets[li],
          format: 'kube-objects',
          text: single ?? s.msg,
          msg: s.msg,
          program: 'kube-objects',
          data: s.extra ? { object: data, ...s.extra } : { object: data },
        });
      }
    }
  }
}

/** Annotation a snapshot may carry with the time it was taken (ISO); the bundle code sets it on derived inputs. */
export const SNAPSHOT_AT_ANNOTATION = 'forensics.dev/snapshot-at';

function snapshotTime(found: ReadonlyArray<{ o: KubeObject }>): number {
  for (const { o } of found) {
    const v = o.metadata?.annotations?.[SNAPSHOT_AT_ANNOTATION];
    if (v) {
      const ms = Date.parse(v);
      if (Number.isFinite(ms)) return ms * 1000;
    }
  }
  // No time in the document: the reader places snapshots at the file's modification time.
  return NaN;
}

const KIND_RE = /"kind"\s*:\s*"[A-Za-z]+"/;
const API_RE = /"apiVersion"\s*:\s*"[\w./-]+"/;

/**
 * Kubernetes objects as JSON (`kubectl get -o json`, List or single object, and the concatenated
 * documents of `kubectl cluster-info dump`). The file is one document: it is parsed whole at the end.
 */
export const kubeObjectsFormat: FormatParser = {
  id: 'kube-objects',
  description: 'Kubernetes objects as JSON (kubectl get -o json, cluster-info dump): state snapshots at the file time',
  detect(lines) {
    const first = lines[0]?.trimStart() ?? '';
    if (!first.startsWith('{')) return 0;
    // A journal JSON record or another one-object-per-line log is not a Kubernetes object.
    if (first.includes('"__REALTIME_TIMESTAMP"') || first.includes('"MESSAGE"')) return 0;
    const head = lines.slice(0, 50).join('\n');
    return KIND_RE.test(head) && (API_RE.test(head) || /"kind"\s*:\s*"[A-Za-z]*List"/.test(head)) ? 1 : 0;
  },
  create(ctx, emit) {
    return new KubeObjectsParser(ctx, emit);
  },
  samples: [
    {
      line: '{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"radarr-7d9f","namespace":"media"},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"radarr"}}},"status":{"replicas":1,"terminatingReplicas":1}}',
      msg: 'ReplicaSet media/radarr-7d9f replicas=1 readyReplicas=0 specReplicas=1 terminatingReplicas=1 selector=app=radarr',
    },
    {
      line: '{"apiVersion":"v1","kind":"Node","metadata":{"name":"k8s03","annotations":{"forensics.dev/snapshot-at":"2026-05-28T11:30:00Z"}},"status":{"conditions":[{"type":"Ready","status":"True"}],"volumesInUse":["kubernetes.io/iscsi/a"]}}',
      host: 'k8s03',
      time: '2026-05-28T11:30:00.000Z',
      msg: 'Node k8s03 ready=True volumesInUse=1 volumesAttached=0',
    },
  ],
};
