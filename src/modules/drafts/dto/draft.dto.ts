import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { IsCalendarDate, IsNotBlank, IsOmittable, Label } from '../../../core/validation/decorators';
import { CADENCES, Cadence } from '../../plans/domain/types';
import type { DraftComparator, DraftTaskKind } from '../domain/types';
import { DRAFT_STATUSES, DraftStatus } from '../entities/plan-draft.entity';

export const DRAFT_COMPARATORS: readonly DraftComparator[] = ['>=', '<=', '=', 'range'];
export const DRAFT_TASK_KINDS: readonly DraftTaskKind[] = ['task', 'indicators', 'other'];

/** Limits of a reviewed tree: far above a real report (about 10 sections, 60 tasks, 400 items). */
export const DRAFT_LIMITS = { sections: 50, tasks: 200, items: 500, targets: 20, units: 50 } as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const nullable = () => ValidateIf((_o, v) => v !== null);

function IsNumberOrText(): PropertyDecorator {
  return ValidateBy({
    name: 'isNumberOrText',
    validator: {
      validate: (v: unknown) =>
        (typeof v === 'number' && Number.isFinite(v)) ||
        (typeof v === 'string' && v.trim().length > 0 && v.length <= 40),
      defaultMessage: () => '指标数值必须是数字，或原文写法（如 x.x、1-2，最多 40 个字符）',
    },
  });
}

function IsSpan(): PropertyDecorator {
  return ValidateBy({
    name: 'isSpan',
    validator: {
      validate: (v: unknown) =>
        Array.isArray(v) &&
        v.length === 2 &&
        v.every((n) => Number.isInteger(n) && (n as number) >= 0) &&
        (v[0] as number) <= (v[1] as number),
      defaultMessage: () => '原文位置必须是 [起, 止] 两个非负整数（起 ≤ 止），或 null',
    },
  });
}

function IsUuidOrNullEach(): PropertyDecorator {
  return ValidateBy({
    name: 'isUuidOrNullEach',
    validator: {
      validate: (v: unknown) =>
        Array.isArray(v) && v.every((id) => id === null || (typeof id === 'string' && UUID.test(id))),
      defaultMessage: () => '匹配的单位必须是有效的 ID 或 null',
    },
  });
}

const SPAN_SCHEMA = {
  type: 'array',
  items: { type: 'integer' },
  minItems: 2,
  maxItems: 2,
  nullable: true,
  description: '原文中的字符位置 [起, 止)（UTF-16）；审核时新增的为 null',
} as const;

export class DraftTargetDto {
  @ApiProperty({ example: '拆除违法建设' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  @Label('指标名称')
  metric!: string;
  @ApiProperty({ enum: DRAFT_COMPARATORS, example: '>=' })
  @IsIn(DRAFT_COMPARATORS)
  @Label('比较方式')
  comparator!: DraftComparator;
  @ApiProperty({
    oneOf: [{ type: 'number' }, { type: 'string' }],
    example: 1.5,
    description: '数值；原文脱敏（"x.x"）或区间（"1-2"，比较方式为 range 时）时为文本',
  })
  @IsNumberOrText()
  @Label('指标数值')
  value!: number | string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '万平方米',
    description: '计量单位；原文没有时为 null',
  })
  @nullable()
  @IsString()
  @MaxLength(20)
  @Label('计量单位')
  unit!: string | null;
}

export class DraftItemDto {
  @ApiProperty({ example: '拆除违法建设', description: '事项名称（由原文提炼，可修改）' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  @Label('事项名称')
  title!: string;
  @ApiProperty({ description: '原文（审核后为审核人保留的文字）' })
  @IsString()
  @MaxLength(5000)
  @Label('事项原文')
  text!: string;
  @ApiProperty({ enum: CADENCES })
  @IsIn(CADENCES)
  @Label('填报频次')
  cadence!: Cadence;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '2022-12-31',
    description: '完成时限；原文没有时为 null',
  })
  @nullable()
  @IsCalendarDate()
  @Label('完成时限')
  deadline!: string | null;
  @ApiProperty({ type: [DraftTargetDto] })
  @IsArray()
  @ArrayMaxSize(DRAFT_LIMITS.targets)
  @ValidateNested({ each: true })
  @Type(() => DraftTargetDto)
  @Label('量化指标')
  targets!: DraftTargetDto[];
  @ApiProperty({ type: [String], description: '原文中写到的单位名称，按出现顺序' })
  @IsArray()
  @ArrayMaxSize(DRAFT_LIMITS.units)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  @Label('原文单位')
  units!: string[];
  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'uuid', nullable: true },
    description: 'units 中每一项匹配到的本组织单位；null 表示没有匹配（建议新增）',
  })
  @IsArray()
  @ArrayMaxSize(DRAFT_LIMITS.units)
  @IsUuidOrNullEach()
  @Label('匹配的单位')
  unitIds!: (string | null)[];
  @ApiProperty(SPAN_SCHEMA)
  @nullable()
  @IsSpan()
  @Label('原文位置')
  span!: [number, number] | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: '牵头单位' })
  @nullable()
  @IsUUID()
  @Label('牵头单位')
  leadUnitId!: string | null;
  @ApiProperty({ type: [String], description: '配合单位' })
  @IsArray()
  @ArrayMaxSize(DRAFT_LIMITS.units)
  @IsUUID(undefined, { each: true })
  @Label('配合单位')
  coUnitIds!: string[];
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: '责任领导（局领导）' })
  @nullable()
  @IsUUID()
  @Label('责任领导')
  responsibleLeaderId!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: '责任人（牵头单位人员）' })
  @nullable()
  @IsUUID()
  @Label('责任人')
  ownerId!: string | null;
}

export class DraftTaskDto {
  @ApiProperty({ type: String, nullable: true, example: '（一）' })
  @nullable()
  @IsString()
  @MaxLength(20)
  @Label('任务序号')
  numbering!: string | null;
  @ApiProperty({ example: '持续推进违法建设治理' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  @Label('重点任务名称')
  title!: string;
  @ApiProperty({
    enum: DRAFT_TASK_KINDS,
    description: 'task 重点任务；indicators 主要任务指标；other 其他工作（兜底段落）',
  })
  @IsIn(DRAFT_TASK_KINDS)
  @Label('任务类型')
  kind!: DraftTaskKind;
  @ApiProperty(SPAN_SCHEMA)
  @nullable()
  @IsSpan()
  @Label('原文位置')
  span!: [number, number] | null;
  @ApiProperty({ type: [DraftItemDto] })
  @IsArray()
  @ArrayMaxSize(DRAFT_LIMITS.items)
  @ValidateNested({ each: true })
  @Type(() => DraftItemDto)
  @Label('具体事项')
  items!: DraftItemDto[];
}

export class DraftSectionDto {
  @ApiProperty({ type: String, nullable: true, example: '二、' })
  @nullable()
  @IsString()
  @MaxLength(20)
  @Label('部分序号')
  numbering!: string | null;
  @ApiProperty({ example: '2022年重点工作' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  @Label('部分名称')
  title!: string;
  @ApiProperty(SPAN_SCHEMA)
  @nullable()
  @IsSpan()
  @Label('原文位置')
  span!: [number, number] | null;
  @ApiProperty({ type: [DraftTaskDto] })
  @IsArray()
  @ArrayMaxSize(DRAFT_LIMITS.tasks)
  @ValidateNested({ each: true })
  @Type(() => DraftTaskDto)
  @Label('重点任务')
  tasks!: DraftTaskDto[];
}

export class CreateDraftDto {
  @ApiProperty({ description: '工作报告全文（UTF-8 文本）' })
  @IsString()
  @Label('报告内容')
  text!: string;
  @ApiProperty({ example: 2022 }) @IsInt() @Min(2000) @Max(2100) @Label('年度') year!: number;
  @ApiPropertyOptional({ description: '草稿标题；不填则为“<年度>年工作计划”' })
  @IsOmittable()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  @Label('草稿标题')
  title?: string;
}

export class UpdateDraftDto {
  @ApiProperty({ description: '读取时的版本号（乐观锁）' })
  @IsInt()
  @Min(1)
  @Label('版本号')
  version!: number;
  @ApiProperty()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  @Label('草稿标题')
  title!: string;
  @ApiProperty({ type: [DraftSectionDto] })
  @IsArray()
  @ArrayMaxSize(DRAFT_LIMITS.sections)
  @ValidateNested({ each: true })
  @Type(() => DraftSectionDto)
  @Label('部分')
  sections!: DraftSectionDto[];
}

export class PublishDraftDto {
  @ApiProperty({ description: '读取时的版本号（乐观锁）' })
  @IsInt()
  @Min(1)
  @Label('版本号')
  version!: number;
  @ApiPropertyOptional({ format: 'uuid', description: '添加到已有计划（草稿或已发布）；不填则新建计划' })
  @IsOptional()
  @IsUUID()
  @Label('计划')
  planId?: string;
  @ApiPropertyOptional({ description: '新建计划的标题；不填则用草稿标题' })
  @IsOmittable()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  @Label('计划标题')
  title?: string;
}

export class DraftUserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

export class DraftSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 2022 }) year!: number;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: DRAFT_STATUSES, description: 'open 审核中；published 已发布' }) status!: DraftStatus;
  @ApiProperty({ description: '具体事项数' }) itemCount!: number;
  @ApiProperty({ type: String, nullable: true, description: '上传的文件名；粘贴文本时为 null' })
  sourceName!: string | null;
  @ApiProperty({ type: DraftUserDto }) createdBy!: DraftUserDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) publishedPlanId!: string | null;
}

export class DraftDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 2022 }) year!: number;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: DRAFT_STATUSES }) status!: DraftStatus;
  @ApiProperty({ description: '版本号（修改、发布时带回）' }) version!: number;
  @ApiProperty({ description: '报告原文（span 的字符位置以它为准）' }) sourceText!: string;
  @ApiProperty({ type: String, nullable: true }) sourceName!: string | null;
  @ApiProperty({ type: [DraftSectionDto] }) sections!: DraftSectionDto[];
  @ApiProperty({ type: DraftUserDto }) createdBy!: DraftUserDto;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) publishedPlanId!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) publishedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class PublishResultDto {
  @ApiProperty({ type: DraftDto }) draft!: DraftDto;
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty({ description: '新增的部分数' }) sections!: number;
  @ApiProperty({ description: '新增的重点任务数' }) tasks!: number;
  @ApiProperty({ description: '新增的具体事项数' }) items!: number;
}
