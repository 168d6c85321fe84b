import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { sniffBuffer, SNIFF_BYTES } from '../input/sniff.js';
import type { PlannedInput } from '../pipeline/plan.js';
import { memberLayout } from './layout.js';

/** True when a (decompressed) head is the start of a tar archive (`ustar` magic at offset 257). */
export function isTarHead(head: Buffer): boolean {
  return head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar';
}

/** True when a planned input is a tar archive, plain or gzip-compressed (by content, not by name). */
export function isArchiveInput(p: Pick<PlannedInput, 'sniffed'>): boolean {
  return isTarHead(p.sniffed.head);
}

/** An archive to stream. */
export interface ArchiveSource {
  rel: string;
  host?: string;
  open(): Readable;
  compression: 'gzip' | 'none';
  mtime: Date;
}

/** What reading an archive found, for the caller's accounting. */
export interface ArchiveStats {
  members: number;
  /** Members the layout knows are not logs (not passed on). */
  ignored: number;
  /** Set when the archive was damaged (the members before the damage were passed on). */
  damaged?: string;
}

/**
 * Streams the regular-file members of a `.tar` / `.tar.gz` archive, never writing to disk. Each
 * member becomes a {@link PlannedInput} (`rel` = `archive!/inner/path`, host from the layout or the
 * archive's own host, sniffed from its first 64 KiB) whose `open()` is a single-use stream of its
 * bytes. `onMember` is awaited before the next entry is read, so at most one member is in flight.
 * A damaged or truncated archive ends with a warning; members already passed on stay analysed.
 */
export async function forEachMember(
  archive: ArchiveSource,
  onMember: (m: PlannedInput) => Promise<void>,
  warn: (message: string) => void,
): Promise<ArchiveStats> {
  const stats: ArchiveStats = { members: 0, ignored: 0 };
  const name = archive.rel.split('/').pop() ?? archive.rel;
  // tar-stream is loaded only when an archive is read.
  const { extract } = await import('tar-stream');
  const ex = extract();
  const raw = archive.open();
  const src: Readable = archive.compression === 'gzip' ? raw.pipe(createGunzip()) : raw;
  let failure: Error | undefined;
  const fail = (err: Error): void => {
    failure ??= err;
    ex.destroy(err);
  };
  raw.on('error', fail);
  if (src !== raw) src.on('error', fail);
  src.on('data', (chunk: Buffer) => {
    if (!ex.write(chunk)) {
      src.pause();
      ex.once('drain', () => src.resume());
    }
  });
  src.on('end', () => ex.end(undefined));

  let sosHost: string | undefined;
  let current = '';
  let inFlight = false;
  try {
    for await (const entry of ex) {
      const h = entry.header;
      current = h.name;
      const it = (entry as unknown as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
      const drain = async (): Promise<void> => {
        for (;;) if ((await it.next()).done) return;
      };
      if (h.type !== 'file' && h.type !== 'contiguous-file') {
        await drain();
        continue;
      }
      const layout = memberLayout(name, h.name);
      if (layout.ignore) {
        if (layout.hostnameFile) {
          const text = Buffer.concat((await collect(it, 4096)).chunks).toString('utf8').trim().split('\n')[0]?.trim();
          if (text && /^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/.test(text)) sosHost = text.split('.')[0];
        }
        stats.ignored++;
        await drain();
        continue;
      }
      if (h.size === 0) {
        await drain();
        continue;
      }
      // Peek the head for recognition; it is re-prepended when the member is opened.
      const peek = await collect(it, SNIFF_BYTES);
      const head = peek.chunks.length === 1 ? peek.chunks[0] : Buffer.concat(peek.chunks);
      let ended = peek.done;
      let opened = false;
      const member: PlannedInput = {
        rel: `${archive.rel}!/${h.name.replace(/^\.\//, '')}`,
        host: sosHost ?? layout.host ?? archive.host,
        sniffed: sniffBuffer(head.subarray(0, SNIFF_BYTES)),
        size: h.size,
        mtime: h.mtime ?? archive.mtime,
        open: () => {
          if (opened) throw new Error(`archive member ${h.name} can only be read once`);
          opened = true;
          return Readable.from(
            (async function* () {
              yield head;
              while (!ended) {
                const r = await it.next();
                if (r.done) {
                  ended = true;
                  break;
                }
                yield r.value;
              }
            })(),
            { objectMode: false },
          );
        },
      };
      stats.members++;
      inFlight = true;
      await onMember(member);
      inFlight = false;
      // The consumer may have stopped early (or not read at all): skip the rest of the member.
      await drain();
    }
  } catch (err) {
    failure ??= err as Error;
  } finally {
    raw.destroy();
  }
  if (failure) {
    const what = /unexpected end|premature|Unexpected end of data|Z_BUF_ERROR/i.test(failure.message) || (failure as NodeJS.ErrnoException).code === 'Z_BUF_ERROR'
      ? 'truncated'
      : `damaged (${failure.message})`;
    stats.damaged = inFlight
      ? `archive ${what} inside member ${current}: it was read up to the damage, ${stats.members - 1} member(s) before it in full, the rest is lost`
      : `archive ${what}${current ? ` after member ${current}` : ''}: ${stats.members} member(s) before it were read, the rest is lost`;
    warn(stats.damaged);
  }
  return stats;
}

/** Reads up to `limit` bytes (or to the end) from an entry iterator; the last chunk may go beyond. */
async function collect(it: AsyncIterator<Buffer>, limit: number): Promise<{ chunks: Buffer[]; done: boolean }> {
  const chunks: Buffer[] = [];
  let n = 0;
  while (n < limit) {
    const r = await it.next();
    if (r.done) return { chunks, done: true };
    chunks.push(r.value);
    n += r.value.length;
  }
  return { chunks, done: false };
}
