import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Organization roles: what an organization's admin may grant through the API. */
export const ROLES = ['admin', 'leader', 'head', 'member', 'dispatcher', 'viewer'] as const;
export type OrgRole = (typeof ROLES)[number];

/**
 * The system administrator (平台管理员) looks after what all organizations share: the national
 * calendar and the job queues. It is no organization role: by itself it reads none of an
 * organization's data, and only the CLI (`user:grant-sysadmin`) grants it.
 */
export const SYSADMIN = 'sysadmin';
export type Role = OrgRole | typeof SYSADMIN;

export const ROLE_ZH: Record<Role, string> = {
  sysadmin: '平台管理员',
  admin: '系统管理员',
  leader: '局领导',
  head: '科室/中队负责人',
  member: '工作人员',
  dispatcher: '督查室（调度）',
  viewer: '只读查看',
};

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId!: string;
  @Column({ name: 'unit_id', type: 'uuid' }) unitId!: string;
  @Column({ type: 'text' }) username!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text', nullable: true }) title!: string | null;
  @Column({ type: 'text', nullable: true }) phone!: string | null;
  @Column({ type: 'text', nullable: true }) email!: string | null;
  @Column({ type: 'text', array: true }) roles!: Role[];
  @Column({ name: 'password_hash', type: 'text', select: false }) passwordHash!: string;
  @Column({ type: 'boolean', default: true }) active!: boolean;
  @Column({ type: 'int', default: 1 }) version!: number;
  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true }) lastLoginAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
