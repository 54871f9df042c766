import { DataSource } from 'typeorm';

import { AuditRepository } from '../audit/audit.repository';
import { AuthRepository } from './auth.repository';
import { SYSADMIN } from './entities/user.entity';

export interface SysadminChange {
  username: string;
  roles: string[];
  /** Revoking the only role leaves an account that can do nothing: it is deactivated instead. */
  deactivated: boolean;
  /** False when the user already had (or already lacked) the role: nothing was written. */
  changed: boolean;
}

/**
 * Grants or revokes the system administrator role (CLI only: no API can, so no organization's admin
 * can make themselves one). Audited in the user's organization, by "系统", in the same transaction.
 */
export async function setSysadmin(
  dataSource: DataSource,
  username: string,
  grant: boolean,
): Promise<SysadminChange> {
  return dataSource.transaction(async (em) => {
    const [user] = (await em.query(
      `SELECT id, organization_id AS "organizationId", username, roles, active
         FROM users WHERE lower(username) = lower($1) FOR UPDATE`,
      [username],
    )) as { id: string; organizationId: string; username: string; roles: string[]; active: boolean }[];
    if (!user) throw new Error(`用户“${username}”不存在`);
    if (grant && !user.active) throw new Error(`用户“${user.username}”已停用，不能授予平台管理员角色`);
    const has = user.roles.includes(SYSADMIN);
    if (has === grant)
      return { username: user.username, roles: user.roles, deactivated: false, changed: false };
    let roles = grant ? [...user.roles, SYSADMIN] : user.roles.filter((r) => r !== SYSADMIN);
    const deactivated = roles.length === 0;
    // users.roles may not be empty; the account is shut, so its placeholder role grants nothing.
    if (deactivated) roles = ['viewer'];
    await em.query(
      `UPDATE users SET roles = $2, active = active AND NOT $3, version = version + 1, updated_at = now() WHERE id = $1`,
      [user.id, roles, deactivated],
    );
    if (deactivated) await new AuthRepository(dataSource).revokeAllForUser(user.id, em);
    await new AuditRepository(dataSource).record(em, {
      actor: null,
      organizationId: user.organizationId,
      entityType: 'user',
      entityId: user.id,
      action: grant ? 'grant-sysadmin' : 'revoke-sysadmin',
      before: { roles: user.roles, active: user.active },
      after: { roles, active: user.active && !deactivated },
    });
    return { username: user.username, roles, deactivated, changed: true };
  });
}
