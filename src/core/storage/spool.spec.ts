import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { keyFor, LocalDiskStorage } from './evidence-storage';
import { discardSpool, spool, SpoolLimitError } from './spool';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('upload spool and the disk store', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'duban-spool-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('hashes, counts and keeps the first bytes of a stream arriving in pieces', async () => {
    const pieces = [Buffer.from('%P'), Buffer.from('DF-1.7\n'), randomBytes(70_000)];
    const file = await spool(Readable.from(pieces), join(root, 'spool'));
    const whole = Buffer.concat(pieces);
    expect(file.sha256).toBe(sha(whole));
    expect(file.size).toBe(whole.length);
    expect(file.head.subarray(0, 9).toString()).toBe('%PDF-1.7\n');
    expect(readFileSync(file.path).equals(whole)).toBe(true);
    await discardSpool(file);
    expect(existsSync(file.path)).toBe(false);
  });

  it('stops beyond the limit and leaves no temporary file', async () => {
    const dir = join(root, 'spool');
    await expect(
      spool(Readable.from([randomBytes(600), randomBytes(600)]), dir, 1000),
    ).rejects.toBeInstanceOf(SpoolLimitError);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('disk: stores under ab/<sha256> by renaming the spool, once per content; lists only stored keys', async () => {
    const store = new LocalDiskStorage(root);
    const content = randomBytes(5000);
    const a = await spool(Readable.from([content]), store.spoolDir);
    await store.put(a);
    const key = keyFor(sha(content));
    expect(readFileSync(join(root, key)).equals(content)).toBe(true);
    expect(existsSync(a.path)).toBe(false);
    const b = await spool(Readable.from([content]), store.spoolDir);
    await store.put(b); // already there: the spool stays the caller's to discard
    await discardSpool(b);
    // A spool from another folder (another filesystem) is copied in, not moved.
    const other = await spool(Readable.from([randomBytes(10)]), join(root, 'elsewhere'));
    await store.put(other);
    expect(existsSync(other.path)).toBe(true);
    const keys: string[] = [];
    for await (const k of store.keys()) keys.push(k);
    expect(keys).toEqual([key, keyFor(other.sha256)].sort());
    expect(readdirSync(store.spoolDir)).toEqual([]);
    await expect(store.open('../etc/passwd')).rejects.toThrow('invalid storage key');
  });
});
