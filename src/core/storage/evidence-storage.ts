import { createReadStream } from 'node:fs';
import { access, copyFile, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';

import { SpooledFile } from './spool';

/**
 * Where evidence files (佐证材料) live. Keys are content hashes (`ab/<sha256>`), so a file uploaded
 * twice is stored once and a key can never be steered outside the store. Uploads reach a backend as a
 * spooled temporary file whose hash is known (src/core/storage/spool.ts), never as one Buffer; a
 * stored file becomes visible only once complete. Backends: PostgreSQL (the default, shared by every
 * replica and backed up with the database) and the local disk (single-machine installs).
 */
export abstract class EvidenceStorage {
  /** `postgres` | `disk`, for messages. */
  abstract readonly kind: string;
  /** Where uploads are spooled before `put` (a local directory; on the store's filesystem for disk). */
  abstract readonly spoolDir: string;
  /** Stores the spooled file under keyFor(file.sha256); a no-op when that key is already stored. */
  abstract put(file: SpooledFile): Promise<void>;
  abstract open(key: string): Promise<Readable>;
  abstract exists(key: string): Promise<boolean>;
  /** Every stored key, in key order (for `evidence:copy`). */
  abstract keys(): AsyncIterable<string>;
}

const KEY = /^[0-9a-f]{2}\/([0-9a-f]{64})$/;

export function keyFor(sha256: string): string {
  return `${sha256.slice(0, 2)}/${sha256}`;
}

/** The sha256 a key names; throws on anything that is not a storage key. */
export function shaOfKey(key: string): string {
  const m = KEY.exec(key);
  if (!m || !m[1].startsWith(key.slice(0, 2))) throw new Error(`invalid storage key ${key}`);
  return m[1];
}

export class LocalDiskStorage extends EvidenceStorage {
  readonly kind = 'disk';
  private readonly root: string;
  readonly spoolDir: string;

  constructor(root: string) {
    super();
    this.root = resolve(root);
    // Inside the store so that `put` is a rename; `tmp` can never be a key's two-hex directory.
    this.spoolDir = join(this.root, 'tmp');
  }

  private path(key: string): string {
    shaOfKey(key);
    return join(this.root, key);
  }

  async put(file: SpooledFile): Promise<void> {
    const key = keyFor(file.sha256);
    const target = this.path(key);
    if (await this.exists(key)) return;
    await mkdir(dirname(target), { recursive: true });
    // Write then rename: a crash never leaves a half-written file under its final name. A spool
    // from elsewhere (another filesystem) is copied next to the target first.
    let source = file.path;
    if (dirname(file.path) !== this.spoolDir) {
      source = `${target}.${process.pid}.${Date.now()}.tmp`;
      await copyFile(file.path, source);
    }
    try {
      await rename(source, target);
    } catch (err) {
      if (source !== file.path) await rm(source, { force: true });
      throw err;
    }
  }

  async open(key: string): Promise<Readable> {
    return createReadStream(this.path(key));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await access(this.path(key));
      return true;
    } catch {
      return false;
    }
  }

  async *keys(): AsyncIterable<string> {
    const dirs = await readdir(this.root).catch(() => [] as string[]);
    for (const dir of dirs.filter((d) => /^[0-9a-f]{2}$/.test(d)).sort()) {
      const names = await readdir(join(this.root, dir));
      for (const name of names.filter((n) => /^[0-9a-f]{64}$/.test(n) && n.startsWith(dir)).sort()) {
        yield `${dir}/${name}`;
      }
    }
  }
}

/** The spool directory of backends that keep nothing on the local disk. */
export function defaultSpoolDir(): string {
  return join(tmpdir(), 'duban-evidence-spool');
}
