import type { Role } from '../../modules/org/entities/user.entity';

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
