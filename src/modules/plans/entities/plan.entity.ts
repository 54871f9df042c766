import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const PLAN_STATUSES = ['draft', 'published', 'archived'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export const PLAN_STATUS_ZH: Record<PlanStatus, string> = {
  draft: '草稿',
  published: '已发布',
  archived: '已归档',
};

@Entity({ name: 'plans' })
export class PlanEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId!: string;
  @Column({ type: 'int' }) year!: number;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'text' }) status!: PlanStatus;
  @Column({ type: 'text', nullable: true }) source!: string | null;
  @Column({ name: 'copied_from_id', type: 'uuid', nullable: true }) copiedFromId!: string | null;
  @Column({ type: 'int' }) version!: number;
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true }) publishedAt!: Date | null;
  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true }) archivedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

@Entity({ name: 'plan_sections' })
export class SectionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId!: string;
  @Column({ name: 'plan_id', type: 'uuid' }) planId!: string;
  @Column({ type: 'text', nullable: true }) numbering!: string | null;
  @Column({ type: 'text' }) title!: string;
  @Column({ name: 'sort_order', type: 'int' }) sortOrder!: number;
  @Column({ type: 'int' }) version!: number;
}

export const TASK_STATUSES = ['open', 'closed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

@Entity({ name: 'plan_tasks' })
export class TaskEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId!: string;
  @Column({ name: 'plan_id', type: 'uuid' }) planId!: string;
  @Column({ name: 'section_id', type: 'uuid' }) sectionId!: string;
  @Column({ type: 'text', nullable: true }) numbering!: string | null;
  @Column({ type: 'text' }) title!: string;
  @Column({ name: 'sort_order', type: 'int' }) sortOrder!: number;
  @Column({ type: 'text' }) status!: TaskStatus;
  @Column({ name: 'status_reason', type: 'text', nullable: true }) statusReason!: string | null;
  @Column({ type: 'int' }) version!: number;
}
