/**
 * Hands out units of reading (whole inputs, ranges of large files) to the threads that read them.
 *
 * Largest first, as for any list scheduling; but a thread also pays for each format it reads: its
 * isolate compiles that format's parsing path anew (on 2 GB, each thread's first range of a format
 * runs at about half speed). So a thread keeps to the format it has been reading while units of it are
 * left, and a thread starting afresh takes a format no other thread is reading, when there is one.
 * Which thread reads a unit never changes what the unit gives: results are merged in unit order.
 */
export class UnitQueue {
  /** Units not handed out yet, largest first. */
  private readonly left: number[];
  /** The format each reader took last. */
  private readonly reading = new Map<number, string>();

  /**
   * @param units unit indexes, largest first
   * @param formatOf the format of a unit (units of one format share their parsing path)
   */
  constructor(
    units: readonly number[],
    private readonly formatOf: (unit: number) => string,
  ) {
    this.left = [...units];
  }

  get size(): number {
    return this.left.length;
  }

  /** The next unit for `reader` (any number naming one thread), or -1 when none is left. */
  take(reader: number): number {
    if (this.left.length === 0) return -1;
    const last = this.reading.get(reader);
    let k = last === undefined ? -1 : this.left.findIndex((u) => this.formatOf(u) === last);
    if (k < 0) {
      const busy = new Set<string>();
      for (const [r, f] of this.reading) if (r !== reader) busy.add(f);
      k = this.left.findIndex((u) => !busy.has(this.formatOf(u)));
      if (k < 0) k = 0;
    }
    const unit = this.left.splice(k, 1)[0];
    this.reading.set(reader, this.formatOf(unit));
    return unit;
  }
}
