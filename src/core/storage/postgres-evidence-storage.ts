import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

import { DataSource } from 'typeorm';

import { defaultSpoolDir, EvidenceStorage, keyFor, LocalDiskStorage, shaOfKey } from './evidence-storage';
import { SpooledFile } from './spool';

/** Rows of evidence_chunks: small enough to keep a download's memory low, large enough for few round trips. */
export const EVIDENCE_CHUNK_BYTES = 256 * 1024;

/**
 * Evidence in PostgreSQL: `evidence_blobs` (one row per content hash) and `evidence_chunks` (its bytes
 * in EVIDENCE_CHUNK_BYTES pieces). Every API replica sees the same files and pg_dump backs them up with
 * the rows that name them. A blob and all its chunks commit in one transaction, so a reader never sees
 * half a file; two uploads of the same content meet at the blob's primary key (ON CONFLICT DO NOTHING:
 * the later one waits for the first to commit, then stores nothing).
 */
export class PostgresEvidenceStorage extends EvidenceStorage {
  readonly kind = 'postgres';

  constructor(
    private readonly dataSource: DataSource,
    readonly spoolDir: string = defaultSpoolDir(),
  ) {
    super();
  }

  async put(file: SpooledFile): Promise<void> {
    const sha256 = file.sha256;
    // Cheap early exit for the common duplicate; the ON CONFLICT below settles races.
    if (await this.exists(keyFor(sha256))) return;
    await this.dataSource.transaction(async (em) => {
      const created = (await em.query(
        `INSERT INTO evidence_blobs (sha256, size) VALUES ($1, $2)
         ON CONFLICT (sha256) DO NOTHING RETURNING sha256`,
        [sha256, file.size],
      )) as unknown[];
      if (created.length === 0) return;
      // The spool is read in chunk-sized pieces: one piece in memory at a time.
      let seq = 0;
      for await (const piece of createReadStream(file.path, { highWaterMark: EVIDENCE_CHUNK_BYTES })) {
        await em.query(`INSERT INTO evidence_chunks (sha256, seq, data) VALUES ($1, $2, $3)`, [
          sha256,
          seq++,
          piece as Buffer,
        ]);
      }
    });
  }

  async open(key: string): Promise<Readable> {
    const sha256 = shaOfKey(key);
    const rows = (await this.dataSource.query(`SELECT size FROM evidence_blobs WHERE sha256 = $1`, [
      sha256,
    ])) as { size: string }[];
    if (rows.length === 0) throw new Error(`evidence ${key} is not stored`);
    return new ChunkReader(this.dataSource, sha256, Number(rows[0].size));
  }

  async exists(key: string): Promise<boolean> {
    const rows = (await this.dataSource.query(`SELECT 1 FROM evidence_blobs WHERE sha256 = $1`, [
      shaOfKey(key),
    ])) as unknown[];
    return rows.length > 0;
  }

  async *keys(): AsyncIterable<string> {
    let after = '';
    for (;;) {
      const rows = (await this.dataSource.query(
        `SELECT sha256 FROM evidence_blobs WHERE sha256 > $1 ORDER BY sha256 LIMIT 500`,
        [after],
      )) as { sha256: string }[];
      for (const r of rows) yield keyFor(r.sha256);
      if (rows.length < 500) return;
      after = rows[rows.length - 1].sha256;
    }
  }
}

/**
 * pg hands bytea over as a hex string twice the size; reading a chunk in slices keeps each such string
 * small enough for V8's young generation (collected within milliseconds), where a whole chunk's would
 * sit in large-object space until a full GC — a download's memory is then bounded by a slice, not
 * by the file. (Storage EXTERNAL: PostgreSQL reads only the TOAST pieces of a slice.)
 */
const READ_SLICE_BYTES = 32 * 1024;

/**
 * A blob's bytes, one slice per query: each query borrows a pool connection only for itself, at most
 * one slice waits in memory (highWaterMark 1: the next is fetched once the consumer took the last),
 * and a destroyed stream (the client went away) fetches nothing more.
 */
class ChunkReader extends Readable {
  private seq = 0;
  private offset = 0;
  private sent = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sha256: string,
    private readonly size: number,
  ) {
    super({ highWaterMark: 1 });
  }

  override _read(): void {
    if (this.sent >= this.size) {
      this.push(null);
      return;
    }
    this.dataSource
      .query(
        `SELECT substring(data FROM $3 FOR $4) AS data, length(data) AS length
           FROM evidence_chunks WHERE sha256 = $1 AND seq = $2`,
        [this.sha256, this.seq, this.offset + 1, READ_SLICE_BYTES],
      )
      .then((rows: { data: Buffer; length: number }[]) => {
        if (this.destroyed) return;
        const row = rows[0];
        if (!row || row.data.length === 0 || this.sent + row.data.length > this.size) {
          this.destroy(new Error(`evidence ${this.sha256} chunk ${this.seq} is missing or too long`));
          return;
        }
        this.offset += row.data.length;
        if (this.offset >= row.length) {
          this.seq += 1;
          this.offset = 0;
        }
        this.sent += row.data.length;
        this.push(row.data);
        if (this.sent === this.size) this.push(null);
      })
      .catch((err: Error) => this.destroy(err));
  }
}

/** The backend EVIDENCE_STORAGE names (`postgres` by default; `disk` keeps files under EVIDENCE_DIR). */
export function createEvidenceStorage(
  kind: 'postgres' | 'disk',
  dataSource: DataSource,
  dir: string,
): EvidenceStorage {
  return kind === 'disk' ? new LocalDiskStorage(dir) : new PostgresEvidenceStorage(dataSource);
}
