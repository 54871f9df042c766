import { createHash, randomBytes, randomUUID } from 'node:crypto';

import { Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { EntityManager } from 'typeorm';

import { Actor } from '../../core/auth/actor';
import { dummyHash, verifyPassword } from '../../core/auth/password';
import { AppConfig } from '../../core/config/app-config';
import { DomainError, ErrorCode } from '../../core/errors/domain-error';
import { AuthRepository, SessionUser } from './auth.repository';
import { MeDto, TokenPairDto } from './dto/auth.dto';
import { LoginThrottle } from './login-throttle';
import { OrgRepository } from './org.repository';

export const JWT_ISSUER = 'duban';
export const JWT_AUDIENCE = 'duban-api';

export interface AccessClaims {
  sub: string;
  org: string;
  sid: string;
  typ: 'access';
  exp?: number;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
// One message for every credential failure: it must not tell which part was wrong.
const BAD_CREDENTIALS = '用户名或密码错误';

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly org: OrgRepository,
    private readonly repo: AuthRepository,
    private readonly throttle: LoginThrottle,
  ) {}

  async login(username: string, password: string, ip: string): Promise<TokenPairDto> {
    // Counted before the password is checked: a burst of guesses cannot all pass the limit.
    const admission = await this.throttle.admit(username, ip);
    if (!admission.admitted) {
      throw new DomainError(
        ErrorCode.TooManyAttempts,
        `登录失败次数过多，请 ${Math.ceil(admission.wait / 60)} 分钟后再试`,
        undefined,
        { 'retry-after': String(admission.wait) },
      );
    }
    let user: Awaited<ReturnType<OrgRepository['findByUsernameWithHash']>>;
    let ok: boolean;
    try {
      user = await this.org.findByUsernameWithHash(username);
      // Verify against a dummy hash for unknown users so the response time does not reveal them.
      ok = (await verifyPassword(user?.passwordHash ?? (await dummyHash()), password)) && !!user?.active;
    } catch (err) {
      // Not proven wrong (the database was away): release the attempt without counting a failure,
      // so users retrying through an outage are not locked out when it ends.
      await admission.settle('void');
      throw err;
    }
    await admission.settle(ok ? 'ok' : 'fail');
    if (!user || !ok) {
      this.logger.warn(`登录失败：用户名 ${username}，来源 ${ip}`);
      throw new DomainError(ErrorCode.InvalidCredentials, BAD_CREDENTIALS);
    }
    await this.org.touchLastLogin(user.id);
    this.logger.log(`用户 ${user.username}（${user.id}）登录成功`);
    return this.issue(user.id, user.organizationId, randomUUID());
  }

  /**
   * Rotates a refresh token in one transaction (consume, check the login, issue the next). A token
   * presented twice revokes its whole login (reuse detection); of two concurrent uses the first
   * wins and the second, blocked on the row until the first commits, is the reuse.
   */
  async refresh(refreshToken: string): Promise<TokenPairDto> {
    const hash = sha256(refreshToken);
    const issued = await this.org.transaction(async (em) => {
      const consumed = await this.repo.consumeToken(em, hash);
      if (!consumed) return null;
      const user = await this.repo.findActiveSessionUser(consumed.userId, consumed.familyId, em);
      if (!user) throw new DomainError(ErrorCode.Unauthenticated, '账号已停用或登录已注销，请重新登录');
      return this.issue(user.id, user.organizationId, consumed.familyId, em);
    });
    if (issued) return issued;
    const known = await this.repo.findByHash(hash);
    if (known?.usedAt) {
      await this.repo.revokeFamily(known.familyId);
      this.logger.warn(`刷新令牌被重复使用，已注销该次登录（用户 ${known.userId}）`);
    }
    throw new DomainError(ErrorCode.Unauthenticated, '刷新令牌无效或已使用，请重新登录');
  }

  async logout(actor: Actor & { sessionId: string }, refreshToken?: string): Promise<void> {
    if (refreshToken) {
      const known = await this.repo.findByHash(sha256(refreshToken));
      if (known && known.userId === actor.userId) await this.repo.revokeFamily(known.familyId);
    }
    await this.repo.revokeFamily(actor.sessionId);
  }

  /** The profile from the guard's own row: `GET /auth/me` makes no query of its own. */
  me(user: SessionUser): MeDto {
    return {
      id: user.id,
      username: user.username,
      name: user.name,
      title: user.title,
      roles: user.roles,
      unit: { id: user.unitId, name: user.unitName, kind: user.unitKind },
      organization: { id: user.organizationId, code: user.organizationCode, name: user.organizationName },
    };
  }

  /** Synchronous (HMAC, no I/O): the guard runs it on every request, and a promise there costs for nothing. */
  verifyAccessToken(token: string): AccessClaims {
    const claims = this.jwt.verify<AccessClaims>(token, {
      algorithms: ['HS256'],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      clockTolerance: 5,
    });
    if (claims.typ !== 'access' || !claims.sid || !claims.sub) throw new Error('not an access token');
    // jsonwebtoken accepts a token without exp as never expiring; every token we issue has one.
    if (typeof claims.exp !== 'number') throw new Error('access token without exp');
    return claims;
  }

  private async issue(
    userId: string,
    organizationId: string,
    familyId: string,
    em?: EntityManager,
  ): Promise<TokenPairDto> {
    const { accessTtlSeconds, refreshTtlSeconds } = this.config.auth;
    const claims: AccessClaims = { sub: userId, org: organizationId, sid: familyId, typ: 'access' };
    const accessToken = await this.jwt.signAsync(claims, {
      algorithm: 'HS256',
      expiresIn: accessTtlSeconds,
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
    });
    const refreshToken = randomBytes(32).toString('base64url');
    const refreshExpiresAt = new Date(Date.now() + refreshTtlSeconds * 1000);
    await this.repo.insertToken(
      {
        userId,
        familyId,
        tokenHash: sha256(refreshToken),
        expiresAt: refreshExpiresAt,
      },
      em,
    );
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: accessTtlSeconds,
      refreshToken,
      refreshExpiresAt: refreshExpiresAt.toISOString(),
    };
  }
}
