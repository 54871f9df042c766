import { ROLES, type Role } from '../../modules/org/entities/user.entity';

/** The authenticated caller, resolved from the access token and the current user row. */
export interface Actor {
  userId: string;
  username: string;
  name: string;
  organizationId: string;
  unitId: string;
  roles: Role[];
  requestId: string;
  /**
   * What the auth guard read with the session row (its one statement per request), for the reads of
   * this request outside a transaction: the caller's unit tree path (null when the unit is not the
   * organization's), the business instant `duban_now()` and, with a read replica configured, the
   * caller's read-your-writes mark (the primary's LSN after their last write; src/core/database/read-router.ts).
   * Absent for actors built elsewhere.
   */
  session?: { unitPath: string | null; now: Date; readMark?: string | null };
}

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return actor.roles.some((r) => roles.includes(r));
}

/** Whether the actor holds any organization role (a system administrator alone holds none). */
export function hasOrgRole(roles: readonly Role[]): boolean {
  return roles.some((r) => (ROLES as readonly string[]).includes(r));
}
