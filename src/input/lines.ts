/** Longest line kept, in bytes; the rest of an overlong line is dropped with a warning. */
export const MAX_LINE_BYTES = 1 << 20;

/** Receives each line of a byte stream. `start`/`end` index `buf`, without the line end. */
export type LineSink = (buf: Buffer, start: number, end: number, lineNo: number, offset: number) => void;

export interface LineSplitterOptions {
  /** Line terminator byte: `\n` (default) or `\r` for CR-only files. */
  eol?: 0x0a | 0x0d;
  maxLineBytes?: number;
  /** Called once per overlong line with its number and full length in bytes. */
  onOverlong?: (lineNo: number, bytes: number) => void;
}

/**
 * Splits a stream of Buffer chunks into lines without building strings: the lines of the blocks a
 * {@link BlockSplitter} hands out (which joins lines torn across chunks and cuts overlong ones).
 * A trailing `\r` (CRLF) is removed; a last line with no terminator is delivered by {@link end}.
 * Memory is bounded by `maxLineBytes` whatever the input.
 */
export class LineSplitter {
  private readonly eol: number;
  private readonly max: number;
  private readonly blocks: BlockSplitter;
  private lineNo = 0;

  constructor(
    private readonly sink: LineSink,
    private readonly options: LineSplitterOptions = {},
  ) {
    this.eol = options.eol ?? 0x0a;
    this.max = options.maxLineBytes ?? MAX_LINE_BYTES;
    this.blocks = new BlockSplitter(
      (buf, start, end, offset) => {
        let p = start;
        while (p < end) {
          let le = buf.indexOf(this.eol, p);
          if (le === -1 || le >= end) le = end;
          this.emit(buf, p, le, offset + (p - start));
          p = le + 1;
        }
      },
      // A line torn across chunks and too long is cut by the block splitter: it is the next line.
      { eol: this.options.eol, maxLineBytes: this.max, onOverlong: (_offset, bytes) => this.options.onOverlong?.(this.lineNo + 1, bytes) },
    );
  }

  /** Lines delivered so far. */
  get lines(): number {
    return this.lineNo;
  }

  push(chunk: Buffer): void {
    this.blocks.push(chunk);
  }

  /** Delivers a last line that had no terminator. */
  end(): void {
    this.blocks.end();
  }

  private emit(buf: Buffer, start: number, end: number, offset: number): void {
    this.lineNo++;
    let e = end;
    if (this.eol === 0x0a && e > start && buf[e - 1] === 0x0d) e--;
    if (e - start > this.max) {
      this.options.onOverlong?.(this.lineNo, e - start);
      e = start + this.max;
    }
    this.sink(buf, start, e, this.lineNo, offset);
  }
}

/**
 * Number of `eol` bytes in `buf[start, end)`. `Buffer.indexOf` of one byte is memchr in C++: measured
 * about 4x faster than a JS byte loop and 2x faster than a 4-byte SWAR loop on ~200-byte lines.
 */
export function countLines(buf: Buffer, start: number, end: number, eol = 0x0a): number {
  let n = 0;
  let p = buf.indexOf(eol, start);
  while (p !== -1 && p < end) {
    n++;
    p = buf.indexOf(eol, p + 1);
  }
  return n;
}

/**
 * Receives a run of whole lines: `buf[start, end)` where every line ends with the terminator, except
 * possibly the last one delivered by {@link BlockSplitter.end}. `offset` is the stream offset of `start`.
 */
export type BlockSink = (buf: Buffer, start: number, end: number, offset: number) => void;

/**
 * Cuts a stream of chunks into blocks of whole lines without copying the chunks: a chunk is handed
 * out from its first to its last terminator; the line torn across two chunks is joined in a small
 * carry buffer and handed out alone. A line longer than `maxLineBytes` is cut to that length (the
 * terminator is kept, so line counts stay exact) and reported through `onOverlong` with its stream
 * offset and full length.
 */
export class BlockSplitter {
  private readonly eol: number;
  private readonly max: number;
  private carry: Buffer = Buffer.alloc(0);
  private carryLen = 0;
  private overflow = 0;
  private carryOffset = 0;
  private consumed = 0;

  constructor(
    private readonly sink: BlockSink,
    private readonly options: { eol?: 0x0a | 0x0d; maxLineBytes?: number; onOverlong?: (offset: number, bytes: number) => void } = {},
  ) {
    this.eol = options.eol ?? 0x0a;
    this.max = options.maxLineBytes ?? MAX_LINE_BYTES;
  }

  push(chunk: Buffer): void {
    const base = this.consumed;
    this.consumed += chunk.length;
    let pos = 0;
    if (this.carryLen > 0 || this.overflow > 0) {
      const nl = chunk.indexOf(this.eol, 0);
      if (nl < 0) {
        this.append(chunk, 0, chunk.length);
        return;
      }
      this.append(chunk, 0, nl + 1);
      this.flushCarry(true);
      pos = nl + 1;
    }
    const last = chunk.lastIndexOf(this.eol);
    if (last >= pos) {
      this.sink(chunk, pos, last + 1, base + pos);
      pos = last + 1;
    }
    if (pos < chunk.length) {
      this.carryOffset = base + pos;
      this.append(chunk, pos, chunk.length);
    }
  }

  /** Delivers a last line that had no terminator. */
  end(): void {
    if (this.carryLen > 0 || this.overflow > 0) this.flushCarry(false);
  }

  private append(buf: Buffer, start: number, end: number): void {
    const room = this.max + 2 - this.carryLen; // room for a max-length line plus \r\n
    const take = Math.min(room, end - start);
    if (take > 0) {
      if (this.carry.length < this.carryLen + take) {
        const grown = Buffer.allocUnsafe(Math.min(this.max + 2, Math.max(4096, (this.carryLen + take) * 2)));
        this.carry.copy(grown, 0, 0, this.carryLen);
        this.carry = grown;
      }
      buf.copy(this.carry, this.carryLen, start, start + take);
      this.carryLen += take;
    }
    this.overflow += end - start - Math.max(0, take);
  }

  private flushCarry(terminated: boolean): void {
    let len = this.carryLen;
    if (this.overflow > 0) {
      const full = len + this.overflow - (terminated ? 1 : 0);
      this.options.onOverlong?.(this.carryOffset, full);
      len = Math.min(len, this.max);
      if (terminated) this.carry[len++] = this.eol;
    }
    this.carryLen = 0;
    this.overflow = 0;
    this.sink(this.carry, 0, len, this.carryOffset);
    if (this.carry.length > 65536) this.carry = Buffer.alloc(0);
  }
}
