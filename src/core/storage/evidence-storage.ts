import { createReadStream } from 'node:fs';
import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';

/**
 * Where evidence files (佐证材料) live. Keys are content hashes, so a file uploaded twice is stored
 * once and a key can never be steered outside the store. An S3-compatible store implements the
 * same three methods.
 */
export abstract class EvidenceStorage {
  abstract put(key: string, content: Buffer): Promise<void>;
  abstract open(key: string): Promise<Readable>;
  abstract exists(key: string): Promise<boolean>;
}

const KEY = /^[0-9a-f]{2}\/[0-9a-f]{64}$/;

export function keyFor(sha256: string): string {
  return `${sha256.slice(0, 2)}/${sha256}`;
}

export class LocalDiskStorage extends EvidenceStorage {
  private readonly root: string;

  constructor(root: string) {
    super();
    this.root = resolve(root);
  }

  private path(key: string): string {
    if (!KEY.test(key)) throw new Error(`invalid storage key ${key}`);
    return join(this.root, key);
  }

  async put(key: string, content: Buffer): Promise<void> {
    const file = this.path(key);
    if (await this.exists(key)) return;
    await mkdir(dirname(file), { recursive: true });
    // Write then rename: a crash never leaves a half-written file under its final name.
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, content);
    await rename(tmp, file);
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
}
