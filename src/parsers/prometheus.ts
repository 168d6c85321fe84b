import type { LogEvent } from '../model/event.js';
import type { FormatParser, LineParser, ParseContext } from './types.js';

/** One sample of a text exposition line. */
export interface PromSample {
  metric: string;
  labels: Record<string, string>;
  value: number;
  /** Milliseconds since the epoch, when the line has a timestamp. */
  timestampMs?: number;
}

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

/** Parses one sample line (`name{a="b"} 1.5 [ts]`); undefined when the line is not one. */
export function parseSample(line: string): PromSample | undefined {
  const m = NAME_RE.exec(line);
  if (!m) return undefined;
  const metric = m[0];
  let i = metric.length;
  const labels: Record<string, string> = {};
  if (line.charCodeAt(i) === 123 /* { */) {
    i++;
    for (;;) {
      while (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 44) i++;
      if (line.charCodeAt(i) === 125 /* } */) {
        i++;
        break;
      }
      const nm = NAME_RE.exec(line.slice(i, i + 200));
      if (!nm) return undefined;
      i += nm[0].length;
      if (line[i] !== '=' || line[i + 1] !== '"') return undefined;
      i += 2;
      let v = '';
      for (;;) {
        if (i >= line.length) return undefined;
        const c = line[i];
        if (c === '\\') {
          const n = line[i + 1];
          v += n === 'n' ? '\n' : (n ?? '');
          i += 2;
        } else if (c === '"') {
          i++;
          break;
        } else {
          v += c;
          i++;
        }
      }
      labels[nm[0]] = v;
    }
  }
  const rest = line.slice(i).trim().split(/\s+/);
  if (rest.length < 1 || rest.length > 2 || rest[0] === '') return undefined;
  const value = parseValue(rest[0]);
  if (value === undefined) return undefined;
  const out: PromSample = { metric, labels, value };
  if (rest.length === 2) {
    if (!/^-?\d{1,16}$/.test(rest[1])) return undefined;
    out.timestampMs = Number(rest[1]);
  }
  return out;
}

function parseValue(s: string): number | undefined {
  if (s === 'NaN') return NaN;
  if (s === '+Inf' || s === 'Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  if (!/^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}

/** The printed form of a sample, used as the event message (signatures match on it). */
export function sampleText(s: PromSample): string {
  const ls = Object.entries(s.labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return `${s.metric}${ls.length ? `{${ls.join(',')}}` : ''} ${Number.isNaN(s.value) ? 'NaN' : s.value === Infinity ? '+Inf' : s.value === -Infinity ? '-Inf' : String(s.value)}`;
}

/**
 * Volume plugins the kubelet's volume manager wants (desired_state_of_world > 0) with no
 * actual_state_of_world series and no storage operation recorded: the reconciler never ran for them.
 */
export function volumeManagerStalls(samples: Iterable<PromSample>): Array<{ plugin: string; desired: number; storageOperations: number }> {
  const desired = new Map<string, number>();
  const actual = new Set<string>();
  const ops = new Map<string, number>();
  for (const s of samples) {
    if (s.metric === 'volume_manager_total_volumes') {
      const p = s.labels.plugin_name ?? '';
      if (s.labels.state === 'desired_state_of_world') desired.set(p, (desired.get(p) ?? 0) + s.value);
      else if (s.labels.state === 'actual_state_of_world') actual.add(p);
    } else if (s.metric === 'storage_operation_duration_seconds_count') {
      const p = s.labels.volume_plugin ?? '';
      ops.set(p, (ops.get(p) ?? 0) + s.value);
    }
  }
  const out: Array<{ plugin: string; desired: number; storageOperations: number }> = [];
  for (const [plugin, n] of desired) {
    if (n > 0 && !actual.has(plugin) && (ops.get(plugin) ?? 0) === 0) out.push({ plugin, desired: n, storageOperations: ops.get(plugin) ?? 0 });
  }
  return out;
}

/** Metrics the derived check needs; only these are remembered until the end of the file. */
const REMEMBERED = new Set(['volume_manager_total_volumes', 'storage_operation_duration_seconds_count']);

class PrometheusParser implements LineParser {
  private readonly remembered: Array<{ s: PromSample; line: number; offset: number }> = [];

  constructor(
    private readonly ctx: ParseContext,
    private readonly emit: (e: LogEvent) => void,
  ) {}

  private event(msg: string, text: string, line: number, offset: number, ts: number, data: Record<string, unknown>): LogEvent {
    return {
      ts,
      quality: Number.isFinite(ts) ? 'exact' : 'none',
      precision: Number.isFinite(ts) ? 1_000 : 1_000_000,
      host: this.ctx.host ?? 'unknown',
      file: this.ctx.file,
      line,
      lines: 1,
      offset,
      format: 'prometheus',
      text,
      msg,
      program: 'metrics',
      data,
    };
  }

  line(text: string, lineNo: number, offset: number): boolean {
    const t = text.trim();
    if (t === '') return true;
    if (t.startsWith('#')) return /^#\s*(?:HELP|TYPE|EOF|UNIT)\b/.test(t) || t.startsWith('# ');
    const s = parseSample(t);
    if (!s) return false;
    if (REMEMBERED.has(s.metric)) this.remembered.push({ s, line: lineNo, offset });
    // Histogram buckets are many and say little one by one: their _sum and _count are kept.
    if (s.metric.endsWith('_bucket') && s.labels.le !== undefined) return true;
    const ts = s.timestampMs !== undefined ? s.timestampMs * 1000 : NaN;
    this.emit(this.event(t, text, lineNo, offset, ts, { metric: s.metric, labels: s.labels, value: s.value }));
    return true;
  }

  end(): void {
    for (const st of volumeManagerStalls(this.remembered.map((r) => r.s))) {
      const at = this.remembered.find((r) => r.s.metric === 'volume_manager_total_volumes' && r.s.labels.plugin_name === st.plugin && r.s.labels.state === 'desired_state_of_world');
      const msg = `volume manager stalled: plugin=${st.plugin} desired_state_of_world=${st.desired} actual_state_of_world=absent storage_operations=${st.storageOperations}`;
      const ts = at?.s.timestampMs !== undefined ? at.s.timestampMs * 1000 : NaN;
      this.emit(this.event(msg, msg, at?.line ?? 1, at?.offset ?? 0, ts, { metric: 'forensics:volume_manager_stall', labels: { plugin_name: st.plugin }, value: st.desired, derived: true }));
    }
    this.remembered.length = 0;
  }
}

const SAMPLE_LINE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^{}]*\})? +(?:[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|NaN|[-+]?Inf)(?: +-?\d{1,16})?$/;

/** Prometheus text exposition (a saved `/metrics` scrape of a kubelet): samples become snapshot events of the host. */
export const prometheusFormat: FormatParser = {
  id: 'prometheus',
  description: 'Prometheus text exposition (a saved kubelet /metrics scrape): samples as state snapshots at the file time',
  detect(lines) {
    if (lines.length === 0) return 0;
    let ok = 0;
    let samples = 0;
    for (const l of lines) {
      if (/^# (?:HELP|TYPE) [a-zA-Z_:]/.test(l)) ok++;
      else if (SAMPLE_LINE.test(l)) {
        ok++;
        samples++;
      }
    }
    return samples > 0 ? ok / lines.length : 0;
  },
  create(ctx, emit) {
    return new PrometheusParser(ctx, emit);
  },
  samples: [
    {
      line: 'kubelet_volume_stats_used_bytes{namespace="media",persistentvolumeclaim="radarr-config"} 1.2e+06',
      msg: 'kubelet_volume_stats_used_bytes{namespace="media",persistentvolumeclaim="radarr-config"} 1.2e+06',
    },
    { line: 'kubelet_running_pods 12 1779967800000', time: '2026-05-28T11:30:00.000Z', msg: 'kubelet_running_pods 12 1779967800000' },
  ],
};
