import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform, TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** An upload written to a local temporary file while it streamed in: its hash, size and first bytes. */
export interface SpooledFile {
  path: string;
  sha256: string;
  size: number;
  /** The first bytes (up to 16), for the type check by magic number. */
  head: Buffer;
}

export class SpoolLimitError extends Error {
  constructor(readonly maxBytes: number) {
    super(`content exceeds ${maxBytes} bytes`);
  }
}

const HEAD = 16;

/**
 * Streams `content` into a temporary file under `dir`, hashing and counting it on the way, so no
 * upload is ever held whole in memory (the file is what the storage backend then stores). Beyond
 * `maxBytes` it stops with a SpoolLimitError. The caller removes the file with `discardSpool`.
 */
export async function spool(content: Readable, dir: string, maxBytes?: number): Promise<SpooledFile> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${process.pid}-${randomBytes(8).toString('hex')}.part`);
  const hash = createHash('sha256');
  let size = 0;
  let head = Buffer.alloc(0);
  const meter = new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      size += chunk.length;
      if (maxBytes !== undefined && size > maxBytes) return done(new SpoolLimitError(maxBytes));
      if (head.length < HEAD) head = Buffer.concat([head, chunk.subarray(0, HEAD - head.length)]);
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(content, meter, createWriteStream(path, { flags: 'wx' }));
  } catch (err) {
    await rm(path, { force: true });
    throw err;
  }
  return { path, sha256: hash.digest('hex'), size, head };
}

export async function discardSpool(file: SpooledFile | undefined): Promise<void> {
  if (file) await rm(file.path, { force: true });
}
