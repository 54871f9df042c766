import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';

import type { Role } from '../../modules/org/entities/user.entity';
import type { Actor } from './actor';

export const IS_PUBLIC = 'duban:isPublic';
export const ROLES = 'duban:roles';
export const ANY_ACCOUNT = 'duban:anyAccount';

/** Opens a route to callers without a token (login, refresh, health). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * Opens a route to every signed-in account, a system administrator without an organization role
 * included (their own session and profile). Every other route needs an organization role or @Roles.
 */
export const AnyAccount = () => SetMetadata(ANY_ACCOUNT, true);

/** Restricts a route to callers holding at least one of the roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

/** Injects the authenticated Actor set by the auth guard. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const request = ctx.switchToHttp().getRequest<{ actor?: Actor }>();
  if (!request.actor) throw new Error('CurrentActor used on a route without authentication');
  return request.actor;
});
