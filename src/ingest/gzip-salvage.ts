import { open, type FileHandle } from 'node:fs/promises';
import { createInflateRaw } from 'node:zlib';
import { gzipBodyStart, isGzip } from '../input/sniff.js';

const READ_BYTES = 1 << 20;

/**
 * Decompresses a gzip file member by member (RFC 1952), for when node's Gunzip has failed on data
 * after a member: Gunzip then drops what it decompressed from the chunk in which the bad data starts.
 * Here each member is inflated raw; the raw inflater stops at the end of its deflate stream and says
 * how many bytes it consumed, so the next member (or the garbage) is found exactly after its 8-byte
 * trailer. Output goes to `onData` as it comes; damage ends the reading with a sentence for the warning.
 */
export async function salvageGzip(path: string, onData: (chunk: Buffer) => void): Promise<{ problem?: string }> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    let pos = 0;
    while (pos < size) {
      const head = Buffer.alloc(Math.min(65536, size - pos));
      await fh.read(head, 0, head.length, pos);
      if (!isGzip(head)) {
        if (await zeroFrom(fh, pos, size)) return {}; // padding of a preallocated file
        return { problem: `bytes after the last gzip member are not gzip data (from byte ${pos}); they were ignored` };
      }
      const body = gzipBodyStart(head, 0);
      if (body < 0) return { problem: `gzip header damaged or cut at byte ${pos}` };
      const consumed = await inflateMember(fh, pos + body, size, onData);
      if (typeof consumed === 'string') return { problem: `gzip member starting at byte ${pos}: ${consumed}` };
      pos += body + consumed + 8;
    }
    return {};
  } finally {
    await fh.close();
  }
}

/** Inflates one raw deflate stream starting at `start`: the bytes it consumed, or why it failed. */
async function inflateMember(fh: FileHandle, start: number, size: number, onData: (chunk: Buffer) => void): Promise<number | string> {
  const inflater = createInflateRaw({ chunkSize: READ_BYTES });
  let ended = false;
  let failure: string | undefined;
  inflater.on('data', (c: Buffer) => onData(c));
  const done = new Promise<void>((resolve) => {
    inflater.on('end', () => {
      ended = true;
      resolve();
    });
    inflater.on('error', (err) => {
      failure = /unexpected end/.test(err.message) ? 'cut before its end (truncated)' : `damaged (${err.message})`;
      resolve();
    });
  });
  let pos = start;
  while (!ended && failure === undefined && pos < size) {
    const buf = Buffer.allocUnsafe(Math.min(READ_BYTES, size - pos));
    const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
    if (bytesRead === 0) break;
    pos += bytesRead;
    // Bytes written after the end of the deflate stream are ignored by the raw inflater.
    await new Promise<void>((resolve) => inflater.write(buf.subarray(0, bytesRead), () => resolve()));
  }
  inflater.end();
  await done;
  if (failure !== undefined) return failure;
  return inflater.bytesWritten;
}

async function zeroFrom(fh: FileHandle, pos: number, size: number): Promise<boolean> {
  const buf = Buffer.alloc(65536);
  for (let p = pos; p < size; p += buf.length) {
    const { bytesRead } = await fh.read(buf, 0, buf.length, p);
    for (let i = 0; i < bytesRead; i++) if (buf[i] !== 0) return false;
  }
  return true;
}
