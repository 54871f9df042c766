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
}

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return actor.roles.some((r) => roles.includes(r));
}

/** Whether the actor holds any organization role (a system administrator alone holds none). */
export function hasOrgRole(roles: readonly Role[]): boolean {
  return roles.some((r) => (ROLES as readonly string[]).includes(r));
}
