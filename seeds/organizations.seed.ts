import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { load } from 'js-yaml';
import { EntityManager } from 'typeorm';

import { hashPassword } from '../src/core/auth/password';
import type { UnitKind } from '../src/modules/org/entities/unit.entity';
import type { Role } from '../src/modules/org/entities/user.entity';

export interface SeedUnit {
  code: string;
  name: string;
  kind: UnitKind;
  children?: SeedUnit[];
}
export interface SeedUser {
  username: string;
  name: string;
  title?: string;
  unit: string;
  roles: Role[];
}
export interface SeedOrganization {
  code: string;
  name: string;
  shortName: string;
  units: SeedUnit[];
  users: SeedUser[];
}

// From sources (seeds/) the data sits beside this file; from dist/seeds/ it is two levels up.
export const SEED_DATA_DIR = [join(__dirname, 'data'), join(__dirname, '..', '..', 'seeds', 'data')].find(
  (d) => existsSync(join(d, 'organizations.yaml')),
)!;

export function readOrganizations(): SeedOrganization[] {
  const doc = load(readFileSync(join(SEED_DATA_DIR, 'organizations.yaml'), 'utf8')) as {
    organizations: SeedOrganization[];
  };
  return doc.organizations;
}

export interface SeedCounts {
  organizations: number;
  units: number;
  users: number;
  inserted: number;
}

/**
 * Upserts organizations, unit trees and users on their natural keys (org code, unit code,
 * username). Running it again changes nothing; a demo user's password is set only when created.
 */
export async function seedOrganizations(em: EntityManager, demoPassword: string): Promise<SeedCounts> {
  const orgs = readOrganizations();
  const counts: SeedCounts = { organizations: 0, units: 0, users: 0, inserted: 0 };
  const passwordHash = await hashPassword(demoPassword);
  for (const org of orgs) {
    const [{ id: orgId, inserted: orgInserted }] = (await em.query(
      `INSERT INTO organizations (code, name, short_name) VALUES ($1, $2, $3)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, short_name = EXCLUDED.short_name
       RETURNING id, (xmax = 0) AS inserted`,
      [org.code, org.name, org.shortName],
    )) as { id: string; inserted: boolean }[];
    counts.organizations++;
    if (orgInserted) counts.inserted++;

    const unitIds = new Map<string, string>();
    const walk = async (units: SeedUnit[], parentId: string | null, parentPath: string) => {
      let order = 0;
      for (const u of units) {
        order += 10;
        const [row] = (await em.query(
          `INSERT INTO units (organization_id, parent_id, path, code, name, kind, sort_order)
           VALUES ($1, $2, '', $3, $4, $5, $6)
           ON CONFLICT (organization_id, code) DO UPDATE
             SET name = EXCLUDED.name, kind = EXCLUDED.kind, sort_order = EXCLUDED.sort_order
           RETURNING id, path, (xmax = 0) AS inserted`,
          [orgId, parentId, u.code, u.name, u.kind, order],
        )) as { id: string; path: string; inserted: boolean }[];
        let path = row.path;
        if (row.inserted) {
          path = `${parentPath}${row.id}/`;
          await em.query(`UPDATE units SET path = $2 WHERE id = $1`, [row.id, path]);
          counts.inserted++;
        }
        counts.units++;
        unitIds.set(u.code, row.id);
        if (u.children?.length) await walk(u.children, row.id, path);
      }
    };
    await walk(org.units, null, '/');

    for (const user of org.users) {
      const unitId = unitIds.get(user.unit);
      if (!unitId) throw new Error(`seed: user ${user.username} names unknown unit ${user.unit}`);
      const [row] = (await em.query(
        `INSERT INTO users (organization_id, unit_id, username, name, title, roles, password_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT ((lower(username))) DO UPDATE
           SET name = EXCLUDED.name, title = EXCLUDED.title, unit_id = EXCLUDED.unit_id, roles = EXCLUDED.roles
         RETURNING (xmax = 0) AS inserted`,
        [orgId, unitId, user.username, user.name, user.title ?? null, user.roles, passwordHash],
      )) as { inserted: boolean }[];
      counts.users++;
      if (row.inserted) counts.inserted++;
    }
  }
  return counts;
}
