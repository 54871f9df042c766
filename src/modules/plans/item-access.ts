import { Actor, hasRole } from '../../core/auth/actor';

/** What the access rules need to know about the caller beyond the Actor: their unit's tree path. */
export interface AccessContext {
  actor: Actor;
  unitPath: string;
}

/** What the access rules need to know about an item. */
export interface ItemAccessFacts {
  leadUnitPath: string;
  coUnitPaths: string[];
  leadUnitId: string;
  coUnitIds: string[];
  ownerId: string | null;
  responsibleLeaderId: string;
}

/**
 * Item permissions (issue 3, documented in docs/PERMISSIONS.md):
 * - admin, dispatcher: read and manage every item of the organization;
 * - viewer: read every item;
 * - head: manage items whose lead unit is in their unit's subtree; read those and items where a
 *   co-unit is in the subtree;
 * - member: read their own items, their unit's items and items where their unit is a co-unit;
 * - leader: read the items they answer for.
 * Roles add up. Reads are enforced in SQL (readPredicate); single-item checks use these functions.
 */
export function canManageAll(actor: Actor): boolean {
  return hasRole(actor, 'admin', 'dispatcher');
}

export function canReadAll(actor: Actor): boolean {
  return hasRole(actor, 'admin', 'dispatcher', 'viewer');
}

export function canManageItem(ctx: AccessContext, item: Pick<ItemAccessFacts, 'leadUnitPath'>): boolean {
  if (canManageAll(ctx.actor)) return true;
  return hasRole(ctx.actor, 'head') && item.leadUnitPath.startsWith(ctx.unitPath);
}

/** A head may place an item's lead unit only inside their own subtree. */
export function canLeadFrom(ctx: AccessContext, unitPath: string): boolean {
  return canManageAll(ctx.actor) || (hasRole(ctx.actor, 'head') && unitPath.startsWith(ctx.unitPath));
}

export function canReadItem(ctx: AccessContext, item: ItemAccessFacts): boolean {
  const { actor } = ctx;
  if (canReadAll(actor)) return true;
  if (
    hasRole(actor, 'head') &&
    [item.leadUnitPath, ...item.coUnitPaths].some((p) => p.startsWith(ctx.unitPath))
  ) {
    return true;
  }
  if (
    hasRole(actor, 'member') &&
    (item.ownerId === actor.userId ||
      item.leadUnitId === actor.unitId ||
      item.coUnitIds.includes(actor.unitId))
  ) {
    return true;
  }
  return hasRole(actor, 'leader') && item.responsibleLeaderId === actor.userId;
}

/**
 * The same read rule as SQL over `items i`, appending its parameters to `params`.
 * Returns 'TRUE' for roles that see the whole organization (the org filter is applied separately).
 */
export function readPredicate(ctx: AccessContext, params: unknown[]): string {
  const { actor } = ctx;
  if (canReadAll(actor)) return 'TRUE';
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const ors: string[] = [];
  if (hasRole(actor, 'head')) {
    const path = p(`${ctx.unitPath}%`);
    ors.push(
      `EXISTS (SELECT 1 FROM units su WHERE su.path LIKE ${path} AND (su.id = i.lead_unit_id
         OR su.id IN (SELECT cu.unit_id FROM item_co_units cu WHERE cu.item_id = i.id)))`,
    );
  }
  if (hasRole(actor, 'member')) {
    const me = p(actor.userId);
    const unit = p(actor.unitId);
    ors.push(
      `(i.owner_id = ${me} OR i.lead_unit_id = ${unit}
        OR EXISTS (SELECT 1 FROM item_co_units cu WHERE cu.item_id = i.id AND cu.unit_id = ${unit}))`,
    );
  }
  if (hasRole(actor, 'leader')) ors.push(`i.responsible_leader_id = ${p(actor.userId)}`);
  return ors.length ? `(${ors.join(' OR ')})` : 'FALSE';
}
