import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

import { DataSource } from 'typeorm';

import { EvidenceStorage, shaOfKey } from './evidence-storage';
import { discardSpool, spool, SpooledFile } from './spool';

export interface EvidenceCopyResult {
  /** Files in the source store. */
  total: number;
  /** Copied now (hash checked at the source and again read back from the target). */
  copied: number;
  /** Already in the target (an earlier, maybe interrupted, run): skipped. */
  present: number;
  /** Source files whose bytes do not match their hash: not copied. */
  corrupt: string[];
  /** Keys that evidence_files rows name but the target does not hold after the copy. */
  missing: string[];
}

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * `evidence:copy`: every file of one store into another (disk ⇄ postgres). Idempotent and resumable:
 * what the target holds is skipped, and the target only ever holds complete files (both backends
 * publish a file whole), so an interrupted run is simply run again. Each file streams through a spool
 * (bounded memory), its hash is checked against its key before it is stored and again read back from
 * the target. Finally every key that evidence_files names is looked up in the target.
 */
export async function copyEvidence(
  dataSource: DataSource,
  from: EvidenceStorage,
  to: EvidenceStorage,
  log: (line: string) => void = () => undefined,
): Promise<EvidenceCopyResult> {
  const result: EvidenceCopyResult = { total: 0, copied: 0, present: 0, corrupt: [], missing: [] };
  for await (const key of from.keys()) {
    result.total += 1;
    if (await to.exists(key)) {
      result.present += 1;
      continue;
    }
    let file: SpooledFile | undefined;
    try {
      file = await spool(await from.open(key), to.spoolDir);
      if (file.sha256 !== shaOfKey(key)) {
        result.corrupt.push(key);
        continue;
      }
      await to.put(file);
      if ((await sha256Of(await to.open(key))) !== shaOfKey(key)) throw new Error(`${key} 写入后校验不符`);
      result.copied += 1;
      if (result.copied % 100 === 0) log(`已复制 ${result.copied} 个文件…`);
    } finally {
      await discardSpool(file);
    }
  }
  const referenced = (await dataSource.query(
    `SELECT DISTINCT storage_key FROM evidence_files ORDER BY storage_key`,
  )) as { storage_key: string }[];
  for (const { storage_key: key } of referenced) {
    if (!(await to.exists(key))) result.missing.push(key);
  }
  return result;
}
