import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';

import { OrganizationEntity } from './entities/organization.entity';
import { UnitEntity } from './entities/unit.entity';
import { UserEntity } from './entities/user.entity';

/** The only query code for organizations, units and users; every read is scoped to one organization. */
@Injectable()
export class OrgRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private em(em?: EntityManager): EntityManager {
    return em ?? this.dataSource.manager;
  }

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  getOrganization(id: string): Promise<OrganizationEntity | null> {
    return this.em().findOne(OrganizationEntity, { where: { id } });
  }

  listUnits(organizationId: string): Promise<UnitEntity[]> {
    return this.em().find(UnitEntity, { where: { organizationId }, order: { path: 'ASC' } });
  }

  getUnit(organizationId: string, id: string, em?: EntityManager): Promise<UnitEntity | null> {
    return this.em(em).findOne(UnitEntity, { where: { organizationId, id } });
  }

  /** Locks the unit row so concurrent moves cannot create a cycle or a stale path. */
  lockUnit(em: EntityManager, organizationId: string, id: string): Promise<UnitEntity | null> {
    return em.findOne(UnitEntity, { where: { organizationId, id }, lock: { mode: 'pessimistic_write' } });
  }

  getUnitByCode(organizationId: string, code: string, em?: EntityManager): Promise<UnitEntity | null> {
    return this.em(em).findOne(UnitEntity, { where: { organizationId, code } });
  }

  async insertUnit(
    em: EntityManager,
    unit: Omit<UnitEntity, 'id' | 'path' | 'createdAt' | 'updatedAt' | 'version'>,
    parentPath: string,
  ) {
    const [row] = (await em.query(
      `INSERT INTO units (organization_id, parent_id, path, code, name, kind, sort_order, active)
       VALUES ($1, $2, '', $3, $4, $5, $6, $7) RETURNING id`,
      [unit.organizationId, unit.parentId, unit.code, unit.name, unit.kind, unit.sortOrder, unit.active],
    )) as { id: string }[];
    await em.query(`UPDATE units SET path = $2 WHERE id = $1`, [row.id, `${parentPath}${row.id}/`]);
    return (await this.getUnit(unit.organizationId, row.id, em))!;
  }

  async updateUnit(
    em: EntityManager,
    organizationId: string,
    id: string,
    patch: Partial<Pick<UnitEntity, 'name' | 'kind' | 'sortOrder' | 'active'>>,
  ) {
    await em.update(UnitEntity, { organizationId, id }, { ...patch, version: () => 'version + 1' });
  }

  /** Re-parents a unit and rewrites the materialised path of its whole subtree in one statement. */
  async moveUnit(
    em: EntityManager,
    unit: UnitEntity,
    newParentId: string | null,
    newParentPath: string,
  ): Promise<void> {
    const newPath = `${newParentPath}${unit.id}/`;
    await em.query(
      `UPDATE units SET path = $3 || substr(path, length($2) + 1),
              parent_id = CASE WHEN id = $4 THEN $5::uuid ELSE parent_id END,
              version = version + 1, updated_at = now()
        WHERE organization_id = $1 AND path LIKE $2 || '%'`,
      [unit.organizationId, unit.path, newPath, unit.id, newParentId],
    );
  }

  countActiveUsersInSubtree(em: EntityManager, organizationId: string, path: string): Promise<number> {
    return em
      .query(
        `SELECT count(*)::int AS n FROM users u JOIN units t ON t.id = u.unit_id
          WHERE u.organization_id = $1 AND u.active AND t.path LIKE $2 || '%'`,
        [organizationId, path],
      )
      .then((rows: { n: number }[]) => rows[0].n);
  }

  countActiveChildren(em: EntityManager, organizationId: string, id: string): Promise<number> {
    return em.count(UnitEntity, { where: { organizationId, parentId: id, active: true } });
  }

  listUsers(
    organizationId: string,
    filter: { unitId?: string; includeInactive?: boolean },
  ): Promise<UserEntity[]> {
    return this.em().find(UserEntity, {
      where: {
        organizationId,
        ...(filter.unitId ? { unitId: filter.unitId } : {}),
        ...(filter.includeInactive ? {} : { active: true }),
      },
      order: { username: 'ASC' },
    });
  }

  getUser(organizationId: string, id: string, em?: EntityManager): Promise<UserEntity | null> {
    return this.em(em).findOne(UserEntity, { where: { organizationId, id } });
  }

  getUsers(organizationId: string, ids: string[]): Promise<UserEntity[]> {
    return this.em().find(UserEntity, { where: { organizationId, id: In(ids) } });
  }

  findByUsernameWithHash(username: string): Promise<UserEntity | null> {
    return this.em()
      .createQueryBuilder(UserEntity, 'u')
      .addSelect('u.passwordHash')
      .where('lower(u.username) = lower(:username)', { username })
      .getOne();
  }

  usernameTaken(em: EntityManager, username: string): Promise<boolean> {
    return em
      .query(`SELECT 1 FROM users WHERE lower(username) = lower($1)`, [username])
      .then((rows: unknown[]) => rows.length > 0);
  }

  async insertUser(
    em: EntityManager,
    user: Pick<
      UserEntity,
      | 'organizationId'
      | 'unitId'
      | 'username'
      | 'name'
      | 'title'
      | 'phone'
      | 'email'
      | 'roles'
      | 'passwordHash'
    >,
  ): Promise<UserEntity> {
    const result = await em.insert(UserEntity, user);
    const id = (result.identifiers[0] as { id: string }).id;
    return (await this.getUser(user.organizationId, id, em))!;
  }

  async updateUser(
    em: EntityManager,
    organizationId: string,
    id: string,
    patch: Partial<
      Pick<UserEntity, 'name' | 'title' | 'phone' | 'email' | 'roles' | 'unitId' | 'active' | 'passwordHash'>
    >,
  ) {
    await em.update(UserEntity, { organizationId, id }, { ...patch, version: () => 'version + 1' });
  }

  touchLastLogin(id: string): Promise<unknown> {
    return this.em().query(`UPDATE users SET last_login_at = now() WHERE id = $1`, [id]);
  }
}
