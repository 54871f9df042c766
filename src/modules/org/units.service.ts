import { randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { Actor } from '../../core/auth/actor';
import { DomainError, ErrorCode } from '../../core/errors/domain-error';
import { AuditRepository } from '../audit/audit.repository';
import { changedFields } from '../audit/diff';
import { CreateUnitDto, UnitDto, UpdateUnitDto } from './dto/unit.dto';
import { UnitEntity } from './entities/unit.entity';
import { OrgRepository } from './org.repository';

const AUDITED: (keyof UnitEntity)[] = ['name', 'kind', 'parentId', 'sortOrder', 'active', 'code'];
const snapshot = (u: UnitEntity) => ({
  code: u.code,
  name: u.name,
  kind: u.kind,
  parentId: u.parentId,
  sortOrder: u.sortOrder,
  active: u.active,
});

@Injectable()
export class UnitsService {
  constructor(
    private readonly repo: OrgRepository,
    private readonly audit: AuditRepository,
  ) {}

  async list(actor: Actor, includeInactive: boolean): Promise<UnitDto[]> {
    const units = await this.repo.listUnits(actor.organizationId);
    return units.filter((u) => includeInactive || u.active).map(UnitDto.from);
  }

  async get(actor: Actor, id: string): Promise<UnitDto> {
    const unit = await this.repo.getUnit(actor.organizationId, id);
    if (!unit) throw DomainError.notFound('单位');
    return UnitDto.from(unit);
  }

  async create(actor: Actor, dto: CreateUnitDto): Promise<UnitDto> {
    const unit = await this.repo.transaction(async (em) => {
      let parentPath = '/';
      if (dto.parentId) {
        const parent = await this.repo.getUnit(actor.organizationId, dto.parentId, em);
        if (!parent)
          throw new DomainError(ErrorCode.NotFound, '上级单位不存在', [
            { field: 'parentId', message: '上级单位不存在' },
          ]);
        parentPath = parent.path;
      }
      const code = dto.code ?? `u-${randomBytes(4).toString('hex')}`;
      if (await this.repo.getUnitByCode(actor.organizationId, code, em)) {
        throw DomainError.conflict(`单位编码“${code}”已被使用`, 'code');
      }
      const created = await this.repo.insertUnit(
        em,
        {
          organizationId: actor.organizationId,
          parentId: dto.parentId ?? null,
          code,
          name: dto.name.trim(),
          kind: dto.kind,
          sortOrder: dto.sortOrder ?? 0,
          active: true,
        },
        parentPath,
      );
      await this.audit.record(em, {
        actor,
        organizationId: actor.organizationId,
        entityType: 'unit',
        entityId: created.id,
        action: 'create',
        after: snapshot(created),
      });
      return created;
    });
    return UnitDto.from(unit);
  }

  async update(actor: Actor, id: string, dto: UpdateUnitDto): Promise<UnitDto> {
    const unit = await this.repo.transaction(async (em) => {
      const before = await this.repo.lockUnit(em, actor.organizationId, id);
      if (!before) throw DomainError.notFound('单位');
      if (dto.parentId !== undefined && dto.parentId !== before.parentId) {
        let parentPath = '/';
        if (dto.parentId !== null) {
          const parent = await this.repo.lockUnit(em, actor.organizationId, dto.parentId);
          if (!parent)
            throw new DomainError(ErrorCode.NotFound, '上级单位不存在', [
              { field: 'parentId', message: '上级单位不存在' },
            ]);
          if (parent.path.startsWith(before.path)) {
            throw DomainError.invalid('parentId', '不能把单位移动到它自己或它的下级单位之下');
          }
          parentPath = parent.path;
        }
        await this.repo.moveUnit(em, before, dto.parentId, parentPath);
      }
      const patch = {
        ...(dto.name !== undefined ? { name: dto.name.trim() } : {}),
        ...(dto.kind !== undefined ? { kind: dto.kind } : {}),
        ...(dto.sortOrder !== undefined ? { sortOrder: dto.sortOrder } : {}),
      };
      if (Object.keys(patch).length > 0) await this.repo.updateUnit(em, actor.organizationId, id, patch);
      const after = (await this.repo.getUnit(actor.organizationId, id, em))!;
      const diff = changedFields(before, after, AUDITED);
      if (diff) {
        await this.audit.record(em, {
          actor,
          organizationId: actor.organizationId,
          entityType: 'unit',
          entityId: id,
          action: dto.parentId !== undefined && dto.parentId !== before.parentId ? 'move' : 'update',
          ...diff,
        });
      }
      return after;
    });
    return UnitDto.from(unit);
  }

  /** Deactivation keeps the row (nothing is hard-deleted) but refuses while active people or sub-units remain. */
  async setActive(actor: Actor, id: string, active: boolean): Promise<UnitDto> {
    const unit = await this.repo.transaction(async (em) => {
      const before = await this.repo.lockUnit(em, actor.organizationId, id);
      if (!before) throw DomainError.notFound('单位');
      if (before.active === active) return before;
      if (!active) {
        if ((await this.repo.countActiveChildren(em, actor.organizationId, id)) > 0) {
          throw DomainError.conflict('该单位下仍有启用的下级单位，请先停用或移走下级单位');
        }
        if ((await this.repo.countActiveUsersInSubtree(em, actor.organizationId, before.path)) > 0) {
          throw DomainError.conflict('该单位仍有启用的人员，请先调走或停用这些人员');
        }
      } else if (before.parentId) {
        const parent = await this.repo.getUnit(actor.organizationId, before.parentId, em);
        if (parent && !parent.active) throw DomainError.conflict('上级单位已停用，请先启用上级单位');
      }
      await this.repo.updateUnit(em, actor.organizationId, id, { active });
      const after = (await this.repo.getUnit(actor.organizationId, id, em))!;
      await this.audit.record(em, {
        actor,
        organizationId: actor.organizationId,
        entityType: 'unit',
        entityId: id,
        action: active ? 'activate' : 'deactivate',
        before: { active: before.active },
        after: { active: after.active },
      });
      return after;
    });
    return UnitDto.from(unit);
  }
}
