/**
 * Which periods each host's logs cover. Absence ("no timeout followed") may only be claimed where
 * the host's logs run past the end of the window without a silent gap inside it.
 */
export class Coverage {
  private readonly spans = new Map<string, Array<[number, number]>>();

  /** Records that `host` has logs from `from` to `to` (UTC µs) without a gap. */
  add(host: string, from: number, to: number): void {
    if (!Number.isFinite(from) || !Number.isFinite(to)) return;
    const l = this.spans.get(host) ?? [];
    l.push([from, to]);
    this.spans.set(host, l);
  }

  /** True when one span of `host` contains the whole window. */
  covers(host: string, from: number, to: number): boolean {
    for (const [a, b] of this.spans.get(host) ?? []) if (a <= from && b >= to) return true;
    return false;
  }

  /** Last covered instant of a host, or -Infinity. */
  end(host: string): number {
    let m = -Infinity;
    for (const [, b] of this.spans.get(host) ?? []) m = Math.max(m, b);
    return m;
  }
}
