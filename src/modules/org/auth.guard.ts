import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';

import { Actor, hasOrgRole } from '../../core/auth/actor';
import { ANY_ACCOUNT, IS_PUBLIC, ROLES } from '../../core/auth/decorators';
import { DomainError, ErrorCode } from '../../core/errors/domain-error';
import { AuthRepository, SessionUser } from './auth.repository';
import { AuthService } from './auth.service';
import { Role } from './entities/user.entity';

export type AuthedRequest = FastifyRequest & {
  actor?: Actor & { sessionId: string };
  /** The guard's row (user, unit, organization), read once per request: handlers need not read it again. */
  sessionUser?: SessionUser;
};

/**
 * Global guard: every route needs a valid access token unless marked @Public(). The user row is
 * read on each request (one indexed query, no cache) so deactivation, logout and role changes take
 * effect immediately, on every replica.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly repo: AuthRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new DomainError(ErrorCode.Unauthenticated, '未登录：缺少访问令牌');

    let claims;
    try {
      claims = this.auth.verifyAccessToken(match[1]);
    } catch {
      throw new DomainError(ErrorCode.Unauthenticated, '访问令牌无效或已过期，请重新登录');
    }
    const user = await this.repo.findActiveSessionUser(claims.sub, claims.sid);
    if (!user) throw new DomainError(ErrorCode.Unauthenticated, '账号已停用或登录已注销，请重新登录');

    request.sessionUser = user;
    request.actor = {
      userId: user.id,
      username: user.username,
      name: user.name,
      organizationId: user.organizationId,
      unitId: user.unitId,
      roles: user.roles,
      requestId: String(request.id),
      sessionId: claims.sid,
      session: { unitPath: user.unitPath, now: user.now, readMark: user.readMark },
    };
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (required && !user.roles.some((r) => required.includes(r))) {
      throw new DomainError(ErrorCode.Forbidden, '没有权限执行此操作');
    }
    // A system administrator without an organization role sees no organization's data: only the
    // routes meant for them (@Roles('sysadmin'), @AnyAccount) are open.
    if (
      !required &&
      !hasOrgRole(user.roles) &&
      !this.reflector.getAllAndOverride<boolean>(ANY_ACCOUNT, targets)
    ) {
      throw new DomainError(ErrorCode.Forbidden, '平台管理员账号不能查看组织的业务数据');
    }
    return true;
  }
}
