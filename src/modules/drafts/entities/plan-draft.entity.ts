import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

import type { DraftBody } from '../domain/types';

export const DRAFT_STATUSES = ['open', 'published'] as const;
export type DraftStatus = (typeof DRAFT_STATUSES)[number];

/** A plan draft read from a work report (导入工作报告): the source and the proposed tree, until published. */
@Entity({ name: 'plan_drafts' })
export class PlanDraftEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId!: string;
  @Column({ type: 'int' }) year!: number;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'text' }) status!: DraftStatus;
  @Column({ type: 'int' }) version!: number;
  @Column({ name: 'source_text', type: 'text' }) sourceText!: string;
  @Column({ name: 'source_name', type: 'text', nullable: true }) sourceName!: string | null;
  @Column({ type: 'jsonb' }) body!: DraftBody;
  @Column({ name: 'created_by', type: 'uuid' }) createdBy!: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ name: 'published_plan_id', type: 'uuid', nullable: true }) publishedPlanId!: string | null;
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true }) publishedAt!: Date | null;
}
