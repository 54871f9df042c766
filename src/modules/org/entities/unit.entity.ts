import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const UNIT_KINDS = ['leadership', 'office', 'squad', 'street', 'company', 'external'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const UNIT_KIND_ZH: Record<UnitKind, string> = {
  leadership: '局领导',
  office: '科室',
  squad: '中队',
  street: '街道/属地',
  company: '企业',
  external: '外部单位',
};

@Entity({ name: 'units' })
export class UnitEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId!: string;
  @Column({ name: 'parent_id', type: 'uuid', nullable: true }) parentId!: string | null;
  /** Materialised path of ids, '/root/…/self/': subtree queries are one prefix match. */
  @Column({ type: 'text' }) path!: string;
  @Column({ type: 'text' }) code!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) kind!: UnitKind;
  @Column({ name: 'sort_order', type: 'int', default: 0 }) sortOrder!: number;
  @Column({ type: 'boolean', default: true }) active!: boolean;
  @Column({ type: 'int', default: 1 }) version!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
