import { Injectable } from '@nestjs/common';

import { Actor } from '../../core/auth/actor';
import { hashPassword } from '../../core/auth/password';
import { DomainError, ErrorCode } from '../../core/errors/domain-error';
import { AuditRepository } from '../audit/audit.repository';
import { changedFields } from '../audit/diff';
import { AuthRepository } from './auth.repository';
import { CreateUserDto, UpdateUserDto, UserDto } from './dto/user.dto';
import { SYSADMIN, UserEntity } from './entities/user.entity';
import { OrgRepository } from './org.repository';

const AUDITED: (keyof UserEntity)[] = ['name', 'title', 'phone', 'email', 'roles', 'unitId', 'active'];
const snapshot = (u: UserEntity) => ({
  username: u.username,
  name: u.name,
  title: u.title,
  phone: u.phone,
  email: u.email,
  unitId: u.unitId,
  roles: u.roles,
  active: u.active,
});

/**
 * A system administrator's account is kept by the CLI only: an organization's admin who could
 * reset its password or edit its roles could take over every organization's shared settings.
 */
function refuseSysadmin(user: UserEntity): void {
  if (user.roles.includes(SYSADMIN)) throw DomainError.forbidden('平台管理员账号只能通过命令行管理');
}

@Injectable()
export class UsersService {
  constructor(
    private readonly repo: OrgRepository,
    private readonly tokens: AuthRepository,
    private readonly audit: AuditRepository,
  ) {}

  async list(actor: Actor, filter: { unitId?: string; includeInactive: boolean }): Promise<UserDto[]> {
    return (await this.repo.listUsers(actor.organizationId, filter)).map(UserDto.from);
  }

  async get(actor: Actor, id: string): Promise<UserDto> {
    const user = await this.repo.getUser(actor.organizationId, id);
    if (!user) throw DomainError.notFound('用户');
    return UserDto.from(user);
  }

  async create(actor: Actor, dto: CreateUserDto): Promise<UserDto> {
    const passwordHash = await hashPassword(dto.password);
    const user = await this.repo.transaction(async (em) => {
      await this.requireActiveUnit(actor, dto.unitId, em);
      if (await this.repo.usernameTaken(em, dto.username)) {
        throw DomainError.conflict(`登录名“${dto.username}”已被使用`, 'username');
      }
      const created = await this.repo.insertUser(em, {
        organizationId: actor.organizationId,
        unitId: dto.unitId,
        username: dto.username,
        name: dto.name.trim(),
        title: dto.title ?? null,
        phone: dto.phone ?? null,
        email: dto.email ?? null,
        roles: dto.roles,
        passwordHash,
      });
      await this.audit.record(em, {
        actor,
        organizationId: actor.organizationId,
        entityType: 'user',
        entityId: created.id,
        action: 'create',
        after: snapshot(created),
      });
      return created;
    });
    return UserDto.from(user);
  }

  async update(actor: Actor, id: string, dto: UpdateUserDto): Promise<UserDto> {
    const user = await this.repo.transaction(async (em) => {
      const before = await this.repo.getUser(actor.organizationId, id, em);
      if (!before) throw DomainError.notFound('用户');
      refuseSysadmin(before);
      if (dto.unitId !== undefined && dto.unitId !== before.unitId)
        await this.requireActiveUnit(actor, dto.unitId, em);
      if (
        id === actor.userId &&
        dto.roles &&
        !dto.roles.includes('admin') &&
        before.roles.includes('admin')
      ) {
        throw DomainError.invalid('roles', '不能移除自己的系统管理员角色');
      }
      await this.repo.updateUser(em, actor.organizationId, id, {
        ...(dto.name !== undefined ? { name: dto.name.trim() } : {}),
        ...(dto.title !== undefined ? { title: dto.title } : {}),
        ...(dto.phone !== undefined ? { phone: dto.phone } : {}),
        ...(dto.email !== undefined ? { email: dto.email } : {}),
        ...(dto.roles !== undefined ? { roles: dto.roles } : {}),
        ...(dto.unitId !== undefined ? { unitId: dto.unitId } : {}),
      });
      const after = (await this.repo.getUser(actor.organizationId, id, em))!;
      const diff = changedFields(before, after, AUDITED);
      if (diff) {
        await this.audit.record(em, {
          actor,
          organizationId: actor.organizationId,
          entityType: 'user',
          entityId: id,
          action: 'update',
          ...diff,
        });
      }
      return after;
    });
    return UserDto.from(user);
  }

  /** Deactivated users keep their history; their sessions end at once. */
  async setActive(actor: Actor, id: string, active: boolean): Promise<UserDto> {
    const user = await this.repo.transaction(async (em) => {
      const before = await this.repo.getUser(actor.organizationId, id, em);
      if (!before) throw DomainError.notFound('用户');
      refuseSysadmin(before);
      if (!active && id === actor.userId) throw DomainError.conflict('不能停用自己的账号');
      if (before.active === active) return before;
      if (active) await this.requireActiveUnit(actor, before.unitId, em);
      await this.repo.updateUser(em, actor.organizationId, id, { active });
      if (!active) await this.tokens.revokeAllForUser(id, em);
      await this.audit.record(em, {
        actor,
        organizationId: actor.organizationId,
        entityType: 'user',
        entityId: id,
        action: active ? 'activate' : 'deactivate',
        before: { active: before.active },
        after: { active },
      });
      return (await this.repo.getUser(actor.organizationId, id, em))!;
    });
    return UserDto.from(user);
  }

  async resetPassword(actor: Actor, id: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    await this.repo.transaction(async (em) => {
      const user = await this.repo.getUser(actor.organizationId, id, em);
      if (!user) throw DomainError.notFound('用户');
      refuseSysadmin(user);
      await this.repo.updateUser(em, actor.organizationId, id, { passwordHash });
      await this.tokens.revokeAllForUser(id, em);
      // The hash itself never goes into the audit trail.
      await this.audit.record(em, {
        actor,
        organizationId: actor.organizationId,
        entityType: 'user',
        entityId: id,
        action: 'reset-password',
        before: null,
        after: { passwordChanged: true },
      });
    });
  }

  private async requireActiveUnit(actor: Actor, unitId: string, em: Parameters<OrgRepository['getUnit']>[2]) {
    const unit = await this.repo.getUnit(actor.organizationId, unitId, em);
    if (!unit)
      throw new DomainError(ErrorCode.NotFound, '所属单位不存在', [
        { field: 'unitId', message: '所属单位不存在' },
      ]);
    if (!unit.active) throw DomainError.invalid('unitId', '所属单位已停用');
    return unit;
  }
}
