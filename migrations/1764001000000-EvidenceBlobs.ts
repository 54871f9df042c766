import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evidence files in the database (issue 18): every API replica serves them and pg_dump backs them up
 * with the rows that name them. One blob per content hash (evidence_files.storage_key is `ab/<sha256>`),
 * its bytes in ordered chunks of ≈256 KB (src/core/storage/postgres-evidence-storage.ts). A blob and
 * its chunks are written in one transaction, so a blob row means a complete file.
 */
export class EvidenceBlobs1764001000000 implements MigrationInterface {
  name = 'EvidenceBlobs1764001000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE evidence_blobs (
        sha256 text PRIMARY KEY,
        size bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_evidence_blobs_sha256 CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        CONSTRAINT ck_evidence_blobs_size CHECK (size >= 0)
      )`);
    await q.query(`
      CREATE TABLE evidence_chunks (
        sha256 text NOT NULL REFERENCES evidence_blobs(sha256) ON DELETE CASCADE,
        seq int NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (sha256, seq),
        CONSTRAINT ck_evidence_chunks_seq CHECK (seq >= 0)
      )`);
    // Already compressed files (JPEG, PNG, DOCX/XLSX zips, most PDFs): TOAST compression would only cost CPU.
    await q.query(`ALTER TABLE evidence_chunks ALTER COLUMN data SET STORAGE EXTERNAL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE evidence_chunks`);
    await q.query(`DROP TABLE evidence_blobs`);
  }
}
