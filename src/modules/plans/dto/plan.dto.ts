import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { IsNotBlank, IsOmittable, Label } from '../../../core/validation/decorators';
import { PLAN_STATUS_ZH, PLAN_STATUSES, PlanEntity, PlanStatus } from '../entities/plan.entity';

export class CreatePlanDto {
  @ApiProperty({ example: 2023 }) @IsInt() @Min(2000) @Max(2100) @Label('年度') year!: number;
  @ApiProperty({ example: '2023年工作要点' })
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  @Label('计划标题')
  title!: string;
}

export class CopyPlanDto {
  @ApiProperty({ example: 2023, description: '新计划的年度' })
  @IsInt()
  @Min(2000)
  @Max(2100)
  @Label('年度')
  year!: number;
  @ApiPropertyOptional({ description: '新计划标题；不填则把原标题中的年份换成新年度' })
  @IsOmittable()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  @Label('计划标题')
  title?: string;
}

export class PlanDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() year!: number;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: PLAN_STATUSES }) status!: PlanStatus;
  @ApiProperty({ example: '已发布' }) statusName!: string;
  @ApiProperty({ nullable: true, type: String }) source!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) copiedFromId!: string | null;
  @ApiProperty() version!: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) publishedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) archivedAt!: string | null;

  static from(p: PlanEntity): PlanDto {
    return {
      id: p.id,
      year: p.year,
      title: p.title,
      status: p.status,
      statusName: PLAN_STATUS_ZH[p.status],
      source: p.source,
      copiedFromId: p.copiedFromId,
      version: p.version,
      publishedAt: p.publishedAt ? p.publishedAt.toISOString() : null,
      archivedAt: p.archivedAt ? p.archivedAt.toISOString() : null,
    };
  }
}

export class CreateSectionDto {
  @ApiProperty({ example: '坚持精细管理总龙头，在固强补弱中强化守正创新' })
  @IsString()
  @IsNotBlank()
  @MaxLength(300)
  @Label('部分标题')
  title!: string;
  @ApiPropertyOptional({ example: '二、' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  @Label('编号')
  numbering?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1_000_000) @Label('排序号') sortOrder?: number;
}

export class UpdateSectionDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @IsNotBlank()
  @MaxLength(300)
  @Label('部分标题')
  title?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20) @Label('编号') numbering?: string;
  @ApiPropertyOptional({ description: '调整顺序' })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  @Label('排序号')
  sortOrder?: number;
}

export class CreateTaskDto {
  @ApiProperty({ example: '开展市容提质行动' })
  @IsString()
  @IsNotBlank()
  @MaxLength(300)
  @Label('重点任务标题')
  title!: string;
  @ApiPropertyOptional({ example: '（一）' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  @Label('编号')
  numbering?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1_000_000) @Label('排序号') sortOrder?: number;
}

export class UpdateTaskDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @IsNotBlank()
  @MaxLength(300)
  @Label('重点任务标题')
  title?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20) @Label('编号') numbering?: string;
  @ApiPropertyOptional({ format: 'uuid', description: '移动到同一计划的另一部分' })
  @IsOmittable()
  @IsUUID()
  @Label('所属部分')
  sectionId?: string;
  @ApiPropertyOptional() @IsOmittable() @IsInt() @Min(0) @Max(1_000_000) @Label('排序号') sortOrder?: number;
}

export class CloseTaskDto {
  @ApiProperty({ enum: ['closed', 'cancelled'], description: 'closed 完成关闭；cancelled 取消' })
  @IsIn(['closed', 'cancelled'])
  @Label('关闭方式')
  status!: 'closed' | 'cancelled';
  @ApiPropertyOptional({ description: '原因（取消时必填）' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Label('原因')
  reason?: string;
  @ApiPropertyOptional({
    enum: ['close', 'cancel'],
    description:
      '该重点任务下仍未办结的具体事项如何处理：close 一并销号，cancel 一并取消。有未办结事项时必填',
  })
  @IsOptional()
  @IsIn(['close', 'cancel'])
  @Label('未办结事项的处理')
  openItems?: 'close' | 'cancel';
}

export class NodeFiguresDto {
  @ApiProperty({ nullable: true, type: Number, description: '完成率（按事项权重加权）' }) completion!:
    number | null;
  @ApiProperty({ nullable: true, type: Number, description: '序时进度' }) expected!: number | null;
  @ApiProperty({ nullable: true, enum: ['red', 'yellow', 'green'], type: String }) light!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '黄灯' }) lightName!: string | null;
  @ApiProperty() red!: number;
  @ApiProperty() yellow!: number;
  @ApiProperty() green!: number;
}

export class TreeTaskDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ nullable: true, type: String }) numbering!: string | null;
  @ApiProperty() title!: string;
  @ApiProperty() sortOrder!: number;
  @ApiProperty({ enum: ['open', 'closed', 'cancelled'] }) status!: string;
  @ApiProperty({ description: '具体事项数' }) itemsCount!: number;
  @ApiProperty({ description: '未办结事项数' }) openItemsCount!: number;
  @ApiProperty({
    type: NodeFiguresDto,
    nullable: true,
    description: '进度与红黄绿灯（由 worker 计算；尚未计算时为空）',
  })
  figures!: NodeFiguresDto | null;
}

export class TreeSectionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ nullable: true, type: String }) numbering!: string | null;
  @ApiProperty() title!: string;
  @ApiProperty() sortOrder!: number;
  @ApiProperty() itemsCount!: number;
  @ApiProperty({ type: NodeFiguresDto, nullable: true }) figures!: NodeFiguresDto | null;
  @ApiProperty({ type: [TreeTaskDto] }) tasks!: TreeTaskDto[];
}

export class PlanTreeDto {
  @ApiProperty({ type: PlanDto }) plan!: PlanDto;
  @ApiProperty() itemsCount!: number;
  @ApiProperty({ type: NodeFiguresDto, nullable: true }) figures!: NodeFiguresDto | null;
  @ApiProperty({ type: [TreeSectionDto] }) sections!: TreeSectionDto[];
}

export class SectionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty({ nullable: true, type: String }) numbering!: string | null;
  @ApiProperty() title!: string;
  @ApiProperty() sortOrder!: number;
}

export class TaskDto extends SectionDto {
  @ApiProperty({ format: 'uuid' }) sectionId!: string;
  @ApiProperty({ enum: ['open', 'closed', 'cancelled'] }) status!: string;
  @ApiProperty({ nullable: true, type: String }) statusReason!: string | null;
}

export const PLAN_STATUS_NAMES = PLAN_STATUS_ZH;

export class ScoreWeightsDto {
  @ApiPropertyOptional({ description: '完成率权重', example: 0.5 })
  @IsOmittable()
  @IsNumber()
  @Min(0)
  @Max(1)
  @Label('完成率权重')
  completion?: number;

  @ApiPropertyOptional({ description: '按期销号率权重', example: 0.2 })
  @IsOmittable()
  @IsNumber()
  @Min(0)
  @Max(1)
  @Label('按期销号率权重')
  onTimeClose?: number;

  @ApiPropertyOptional({ description: '按时报送率权重', example: 0.3 })
  @IsOmittable()
  @IsNumber()
  @Min(0)
  @Max(1)
  @Label('按时报送率权重')
  reportOnTime?: number;

  @ApiPropertyOptional({ description: '红灯占比扣分权重', example: 0.2 })
  @IsOmittable()
  @IsNumber()
  @Min(0)
  @Max(1)
  @Label('红灯占比扣分权重')
  redPenalty?: number;
}

export class PlanSettingsDto {
  @ApiProperty({ description: '计划的版本号（读取设置时得到）；已被他人修改时返回 409' })
  @IsInt()
  @Min(1)
  @Label('版本号')
  version!: number;

  @ApiPropertyOptional({
    description: '每月填报截止：月末最后一个工作日之前的第几个工作日（0 为最后一个工作日）',
    example: 3,
  })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(15)
  @Label('填报截止工作日数')
  reportDueWorkdays?: number;

  @ApiPropertyOptional({ description: '月调度会：次月第几个工作日', example: 2 })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(15)
  @Label('调度会工作日')
  meetingWorkday?: number;

  @ApiPropertyOptional({
    enum: ['original', 'extended'],
    description: '按时完成的判定：original 按原完成时限，extended 按批准延期后的时限',
  })
  @IsOmittable()
  @IsIn(['original', 'extended'])
  @Label('按时完成的判定')
  onTimeBasis?: 'original' | 'extended';

  @ApiPropertyOptional({
    enum: ['targets', 'percent'],
    description: '完成率口径：targets 有量化指标时取指标完成度的平均，percent 只看填报的完成百分比',
  })
  @IsOmittable()
  @IsIn(['targets', 'percent'])
  @Label('完成率口径')
  completionBasis?: 'targets' | 'percent';

  @ApiPropertyOptional({ description: '黄灯：序时进度减完成率超过多少个百分点', example: 20 })
  @IsOmittable()
  @IsNumber()
  @Min(0)
  @Max(100)
  @Label('黄灯滞后百分点')
  lagPoints?: number;

  @ApiPropertyOptional({ description: '黄灯：距完成时限不超过多少个工作日视为临近', example: 10 })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(250)
  @Label('临近完成时限的工作日数')
  nearDeadlineWorkdays?: number;

  @ApiPropertyOptional({ description: '黄灯：临近完成时限而完成率低于多少', example: 80 })
  @IsOmittable()
  @IsNumber()
  @Min(0)
  @Max(100)
  @Label('临近完成时限的最低完成率')
  nearDeadlineMinPercent?: number;

  @ApiPropertyOptional({ type: () => ScoreWeightsDto, description: '考核得分权重（未给出的取默认值）' })
  @IsOmittable()
  @ValidateNested()
  @Type(() => ScoreWeightsDto)
  @Label('考核得分权重')
  scoreWeights?: ScoreWeightsDto;

  @ApiPropertyOptional({
    description: '调度会材料是否公开：公开时各单位均可看到其他单位事项的详情；默认不公开，只看到计数',
    example: false,
  })
  @IsOmittable()
  @IsBoolean()
  @Label('调度会材料公开')
  openPack?: boolean;
}
