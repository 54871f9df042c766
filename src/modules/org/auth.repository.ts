import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Pool } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

import { AppConfig } from '../../core/config/app-config';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { Role } from './entities/user.entity';

/** The guard's per-request row: the user, their unit and organization as `GET /auth/me` shows them. */
export interface SessionUser {
  id: string;
  organizationId: string;
  unitId: string;
  username: string;
  name: string;
  title: string | null;
  roles: Role[];
  unitName: string;
  unitKind: string;
  organizationCode: string;
  organizationName: string;
  /** The unit's tree path when it is the organization's (the read scope: AccessContexts). */
  unitPath: string | null;
  /** The business instant `duban_now()` (pinned in tests and the demo), read in the same statement. */
  now: Date;
  /** With a read replica configured: the primary's LSN after the user's last write (read-your-writes). */
  readMark?: string | null;
}

const sessionUserSql = (withReadMark: boolean) => `
  SELECT u.id, u.organization_id AS "organizationId", u.unit_id AS "unitId", u.username, u.name, u.title, u.roles,
         n.name AS "unitName", n.kind AS "unitKind", o.code AS "organizationCode", o.name AS "organizationName",
         CASE WHEN n.organization_id = u.organization_id THEN n.path END AS "unitPath", duban_now() AS now
         ${withReadMark ? ', m.lsn::text AS "readMark"' : ''}
    FROM users u
    JOIN units n ON n.id = u.unit_id
    JOIN organizations o ON o.id = u.organization_id
    ${withReadMark ? 'LEFT JOIN replica_read_marks m ON m.user_id = u.id' : ''}
   WHERE u.id = $1 AND u.active
     AND EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = $2 AND t.user_id = u.id AND t.revoked_at IS NULL)`;
const SESSION_USER_SQL = sessionUserSql(false);
/** With a read replica: the same one statement also returns the user's read-your-writes mark (LEFT JOIN). */
const SESSION_USER_MARK_SQL = sessionUserSql(true);

/** Queries for refresh tokens and the per-request user lookup behind the auth guard. */
@Injectable()
export class AuthRepository {
  private readonly sessionSql: { name: string; text: string };

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() @Inject(AppConfig) config?: AppConfig,
  ) {
    this.sessionSql = config?.db.replica
      ? { name: 'duban_session_user_mark', text: SESSION_USER_MARK_SQL }
      : { name: 'duban_session_user', text: SESSION_USER_SQL };
  }

  async insertToken(
    row: Pick<RefreshTokenEntity, 'userId' | 'familyId' | 'tokenHash' | 'expiresAt'>,
    em: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await em.insert(RefreshTokenEntity, row);
  }

  /** Marks an unused, unrevoked, unexpired token used, atomically: two racing refreshes cannot both win. */
  async consumeToken(em: EntityManager, tokenHash: string): Promise<RefreshTokenEntity | null> {
    const rows = (await em.query(
      `UPDATE refresh_tokens SET used_at = now()
        WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
        RETURNING id, user_id AS "userId", family_id AS "familyId"`,
      [tokenHash],
    )) as [RefreshTokenEntity[], number] | RefreshTokenEntity[];
    const list = Array.isArray(rows[0]) ? (rows[0] as RefreshTokenEntity[]) : (rows as RefreshTokenEntity[]);
    return list[0] ?? null;
  }

  findByHash(tokenHash: string): Promise<RefreshTokenEntity | null> {
    return this.dataSource.manager.findOne(RefreshTokenEntity, { where: { tokenHash } });
  }

  async revokeFamily(familyId: string, em: EntityManager = this.dataSource.manager): Promise<void> {
    await em.query(
      `UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`,
      [familyId],
    );
  }

  async revokeAllForUser(userId: string, em: EntityManager = this.dataSource.manager): Promise<void> {
    await em.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [
      userId,
    ]);
  }

  /**
   * The active user behind an access token, provided its login (token family) was not revoked, with
   * what `GET /auth/me` shows of their unit and organization: the guard's one query per request is
   * all that route needs, so no handler reads the same user again. Outside a transaction it runs as a
   * named statement on the pool (parsed and planned once per connection, not on every request).
   */
  async findActiveSessionUser(
    userId: string,
    familyId: string,
    em?: EntityManager,
  ): Promise<SessionUser | null> {
    const { name, text } = this.sessionSql;
    if (em) return ((await em.query(text, [userId, familyId])) as SessionUser[])[0] ?? null;
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    const { rows } = await pool.query<SessionUser>({ name, text, values: [userId, familyId] });
    return rows[0] ?? null;
  }

  /** Housekeeping: tokens past expiry for more than a day are of no use to anyone. */
  async deleteExpired(): Promise<number> {
    const result = (await this.dataSource.query(
      `DELETE FROM refresh_tokens WHERE expires_at < now() - interval '1 day'`,
    )) as [unknown[], number];
    return result[1] ?? 0;
  }
}
