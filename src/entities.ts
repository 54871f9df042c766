import { PlanDraftEntity } from './modules/drafts/entities/plan-draft.entity';
import { AuditLogEntity } from './modules/audit/entities/audit-log.entity';
import { ItemCoUnitEntity, ItemEntity, ItemTargetEntity } from './modules/plans/entities/item.entity';
import { PlanEntity, SectionEntity, TaskEntity } from './modules/plans/entities/plan.entity';
import { OrganizationEntity } from './modules/org/entities/organization.entity';
import { RefreshTokenEntity } from './modules/org/entities/refresh-token.entity';
import { UnitEntity } from './modules/org/entities/unit.entity';
import { UserEntity } from './modules/org/entities/user.entity';

/** Every entity, listed explicitly (no globs) so the app, the CLI and tests load the same set. */
export const ENTITIES = [
  OrganizationEntity,
  UnitEntity,
  UserEntity,
  RefreshTokenEntity,
  AuditLogEntity,
  PlanEntity,
  SectionEntity,
  TaskEntity,
  ItemEntity,
  ItemCoUnitEntity,
  ItemTargetEntity,
  PlanDraftEntity,
];
