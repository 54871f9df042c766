import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

import type { Milestone } from '../../rollup/domain/expected';
import type { Cadence, Comparator, Direction, ItemStatus } from '../domain/types';

@Entity({ name: 'items' })
export class ItemEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId!: string;
  @Column({ name: 'plan_id', type: 'uuid' }) planId!: string;
  @Column({ name: 'section_id', type: 'uuid' }) sectionId!: string;
  @Column({ name: 'task_id', type: 'uuid' }) taskId!: string;
  @Column({ name: 'sort_order', type: 'int' }) sortOrder!: number;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'text' }) detail!: string;
  @Column({ name: 'lead_unit_id', type: 'uuid' }) leadUnitId!: string;
  @Column({ name: 'responsible_leader_id', type: 'uuid' }) responsibleLeaderId!: string;
  @Column({ name: 'owner_id', type: 'uuid', nullable: true }) ownerId!: string | null;
  @Column({ name: 'start_date', type: 'date' }) startDate!: string;
  @Column({ type: 'date' }) deadline!: string;
  @Column({ name: 'original_deadline', type: 'date', nullable: true }) originalDeadline!: string | null;
  @Column({ type: 'text' }) cadence!: Cadence;
  @Column({ type: 'numeric' }) weight!: string;
  @Column({ type: 'text', array: true }) tags!: string[];
  /** 月度节点: replace linear 序时进度 when present (docs/ROLLUP.md). */
  @Column({ type: 'jsonb' }) milestones!: Milestone[];
  @Column({ type: 'text' }) status!: ItemStatus;
  @Column({ name: 'status_reason', type: 'text', nullable: true }) statusReason!: string | null;
  @Column({ name: 'resume_status', type: 'text', nullable: true }) resumeStatus!: ItemStatus | null;
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt!: Date | null;
  @Column({ type: 'int' }) version!: number;
}

@Entity({ name: 'item_co_units' })
export class ItemCoUnitEntity {
  @PrimaryColumn({ name: 'item_id', type: 'uuid' }) itemId!: string;
  @PrimaryColumn({ name: 'unit_id', type: 'uuid' }) unitId!: string;
}

@Entity({ name: 'item_targets' })
export class ItemTargetEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'item_id', type: 'uuid' }) itemId!: string;
  @Column({ name: 'sort_order', type: 'int' }) sortOrder!: number;
  @Column({ type: 'text' }) metric!: string;
  @Column({ type: 'text' }) comparator!: Comparator;
  @Column({ type: 'numeric', nullable: true }) value!: string | null;
  @Column({ name: 'value_text', type: 'text' }) valueText!: string;
  /** Upper bound of a 'range' target (null when redacted or not a range). */
  @Column({ name: 'value_upper', type: 'numeric', nullable: true }) upper!: string | null;
  @Column({ name: 'value_upper_text', type: 'text', nullable: true }) upperText!: string | null;
  @Column({ type: 'text' }) unit!: string;
  @Column({ type: 'numeric', nullable: true }) baseline!: string | null;
  @Column({ type: 'text' }) direction!: Direction;
}
