import { DataSource } from 'typeorm';

import { AuditRepository } from '../audit/audit.repository';
import { SecretKeyRing } from '../notify/channels';

/**
 * Re-seals every channel's stored URL and secret with the current key (`notify:reseal`, after a key
 * rotation), so the old key can then be dropped from NOTIFY_SECRET_KEYS_OLD. One transaction; each
 * re-sealed channel is audited (by 系统). Values no configured key opens are left as they are and
 * counted: their owners must save those channels again.
 */
export async function resealChannels(
  dataSource: DataSource,
  keys: SecretKeyRing,
): Promise<{ resealed: number; unreadable: number }> {
  const audit = new AuditRepository(dataSource);
  return dataSource.transaction(async (em) => {
    const rows = (await em.query(
      `SELECT id, organization_id AS "organizationId", secret_sealed AS sealed
         FROM notify_channels WHERE secret_sealed IS NOT NULL ORDER BY id FOR UPDATE`,
    )) as { id: string; organizationId: string; sealed: string }[];
    let resealed = 0;
    let unreadable = 0;
    for (const r of rows.filter((row) => keys.isStale(row.sealed))) {
      let plain: string;
      try {
        plain = keys.open(r.sealed);
      } catch {
        unreadable++;
        continue;
      }
      await em.query(
        `UPDATE notify_channels SET secret_sealed = $2, version = version + 1, updated_at = now() WHERE id = $1`,
        [r.id, keys.seal(plain)],
      );
      await audit.record(em, {
        actor: null,
        organizationId: r.organizationId,
        entityType: 'notify_channel',
        entityId: r.id,
        action: 'reseal',
        before: { keyId: keyIdOf(r.sealed) },
        after: { keyId: keys.current.id },
      });
      resealed++;
    }
    return { resealed, unreadable };
  });
}

/** The key id a sealed value names (v2), or null for values sealed before key ids (v1). */
function keyIdOf(sealed: string): string | null {
  const [version, id] = sealed.split(':');
  return version === 'v2' ? id : null;
}
