import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

import { Label } from '../../../core/validation/decorators';

export class PackCycleDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: '2022-06' }) period!: string;
  @ApiProperty() reportDue!: string;
  @ApiProperty() meetingDate!: string;
}

export class PackPlanDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() year!: number;
  @ApiProperty({ description: '单位名称（机关）' }) organization!: string;
  @ApiProperty({ description: '计划是否设为公开：公开时各单位均可查看全部事项详情' }) openPack!: boolean;
}

export class PackSummaryDto {
  @ApiProperty({ description: '计入的事项数（不含草稿、已取消）' }) items!: number;
  @ApiProperty({ description: '截至当日已销号' }) closed!: number;
  @ApiProperty({ description: '按原完成时限销号' }) closedOnTime!: number;
  @ApiProperty({ description: '截至当日逾期未销号' }) overdue!: number;
  @ApiProperty({ description: '截至当日有风险（未逾期，灯色为红或黄）' }) atRisk!: number;
  @ApiProperty({ description: '上次调度会以来销号' }) closedSince!: number;
  @ApiProperty({ description: '已发督办单（通报）的逾期事项' }) noticed!: number;
  @ApiProperty({ description: '本周期缺报次数' }) reportsMissing!: number;
  @ApiProperty({ description: '本周期迟报次数' }) reportsLate!: number;
  @ApiProperty({ nullable: true, type: Number, description: '计划完成率（%）' }) completion!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '序时进度（%）' }) expected!: number | null;
}

export class OverdueItemDto {
  @ApiProperty() itemId!: string;
  @ApiProperty({ description: '调用者可否查看该事项详情；否则只计数，不显示标题和人员' }) visible!: boolean;
  @ApiProperty({ nullable: true, type: String }) title!: string | null;
  @ApiProperty({ nullable: true, type: String }) taskTitle!: string | null;
  @ApiProperty() leadUnit!: string;
  @ApiProperty({ nullable: true, type: String }) owner!: string | null;
  @ApiProperty({ nullable: true, type: String }) responsibleLeader!: string | null;
  @ApiProperty() deadline!: string;
  @ApiProperty({ description: '逾期工作日数' }) overdueWorkdays!: number;
  @ApiProperty({ enum: ['none', 'remind', 'urge', 'supervise'], description: '截至当日已到的督办层级' })
  escalation!: 'none' | 'remind' | 'urge' | 'supervise';
  @ApiProperty({ description: '上次调度会时已为红灯（或逾期）且仍未解决：上次遗留' })
  carriedForward!: boolean;
}

export class AtRiskItemDto {
  @ApiProperty() itemId!: string;
  @ApiProperty() visible!: boolean;
  @ApiProperty({ nullable: true, type: String }) title!: string | null;
  @ApiProperty({ nullable: true, type: String }) taskTitle!: string | null;
  @ApiProperty() leadUnit!: string;
  @ApiProperty({ nullable: true, type: String }) owner!: string | null;
  @ApiProperty({ nullable: true, type: String }) responsibleLeader!: string | null;
  @ApiProperty() deadline!: string;
  @ApiProperty({ nullable: true, type: Number, description: '完成率（%）' }) completion!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '序时进度（%）' }) expected!: number | null;
  @ApiProperty({ enum: ['red', 'yellow'] }) light!: 'red' | 'yellow';
  @ApiProperty({ description: '上次调度会时已为红灯且仍未解决：上次遗留' }) carriedForward!: boolean;
}

export class ClosedItemDto {
  @ApiProperty() itemId!: string;
  @ApiProperty() visible!: boolean;
  @ApiProperty({ nullable: true, type: String }) title!: string | null;
  @ApiProperty() leadUnit!: string;
  @ApiProperty() closedOn!: string;
  @ApiProperty({ description: '按原完成时限销号' }) onTime!: boolean;
}

export class ClosedSinceDto {
  @ApiProperty({ description: '上次调度会日期（不含）' }) since!: string;
  @ApiProperty({ description: '销号事项总数（items 只列出前 listRows 项）' }) total!: number;
  @ApiProperty({ type: [ClosedItemDto] }) items!: ClosedItemDto[];
}

export class SectionFiguresDto {
  @ApiProperty() sectionId!: string;
  @ApiProperty({ nullable: true, type: String }) numbering!: string | null;
  @ApiProperty() title!: string;
  @ApiProperty({ nullable: true, type: Number }) completion!: number | null;
  @ApiProperty({ nullable: true, type: Number }) expected!: number | null;
  @ApiProperty({ nullable: true, type: String }) light!: string | null;
  @ApiProperty() red!: number;
  @ApiProperty() yellow!: number;
  @ApiProperty() green!: number;
}

export class UnitReportsDto {
  @ApiProperty() leadUnit!: string;
  @ApiProperty({ description: '本周期应报（截止日已到或已提交）' }) due!: number;
  @ApiProperty() onTime!: number;
  @ApiProperty() late!: number;
  @ApiProperty() missing!: number;
}

export class PackStandingDto {
  @ApiProperty() unitId!: string;
  @ApiProperty() unitName!: string;
  @ApiProperty({ nullable: true, type: Number }) rank!: number | null;
  @ApiProperty({ nullable: true, type: Number }) score!: number | null;
  @ApiProperty({ nullable: true, enum: ['green', 'yellow', 'red'], description: '四分位颜色' }) band!:
    string | null;
  @ApiProperty({ nullable: true, type: Number, description: '上一周期截止时的名次' }) previousRank!:
    number | null;
  @ApiProperty({ nullable: true, type: Number, description: '名次变化（正数为上升）' }) change!:
    number | null;
}

export class TrendPointDto {
  @ApiProperty({ example: '2022-06' }) period!: string;
  @ApiProperty({ nullable: true, type: Number }) completion!: number | null;
  @ApiProperty({ nullable: true, type: Number }) expected!: number | null;
  @ApiProperty({ description: '是否为进行中周期的实时数（其余为截止时快照）' }) live!: boolean;
}

export class PreviousActionDto {
  @ApiProperty() outcomeId!: string;
  @ApiProperty({ description: '会议交办内容' }) content!: string;
  @ApiProperty({ nullable: true, type: String }) itemId!: string | null;
  @ApiProperty() visible!: boolean;
  @ApiProperty({ nullable: true, type: String }) title!: string | null;
  @ApiProperty({ nullable: true, type: String }) leadUnit!: string | null;
  @ApiProperty({ nullable: true, type: String }) owner!: string | null;
  @ApiProperty({ nullable: true, type: String }) deadline!: string | null;
  @ApiProperty({ nullable: true, type: String, description: '事项状态' }) status!: string | null;
  @ApiProperty({ nullable: true, type: Number }) completion!: number | null;
  @ApiProperty({ nullable: true, type: String }) light!: string | null;
  @ApiProperty({ description: '截至当日已销号' }) done!: boolean;
  @ApiProperty({ description: '截至当日逾期未销号' }) overdue!: boolean;
}

export class PreviousMeetingDto {
  @ApiProperty() meetingId!: string;
  @ApiProperty() heldOn!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: [PreviousActionDto] }) actions!: PreviousActionDto[];
}

export class DispatchPackDto {
  @ApiProperty({ type: PackPlanDto }) plan!: PackPlanDto;
  @ApiProperty({ type: PackCycleDto }) cycle!: PackCycleDto;
  @ApiProperty({ description: '统计截至日（已截止的周期为填报截止日，进行中的为今天）' }) asOf!: string;
  @ApiProperty() closed!: boolean;
  @ApiProperty({ type: PackSummaryDto }) summary!: PackSummaryDto;
  @ApiProperty({
    nullable: true,
    type: Number,
    description:
      '逾期、风险、销号三个清单各列出的行数上限（最严重的在前；总数见 summary，其余行按分页接口查询）；导出时为 null（全部）',
  })
  listRows!: number | null;
  @ApiProperty({ type: [OverdueItemDto], description: '逾期事项（逾期工作日多的在前）' })
  overdue!: OverdueItemDto[];
  @ApiProperty({ type: ClosedSinceDto, description: '上次调度会以来销号的事项' })
  closedSince!: ClosedSinceDto;
  @ApiProperty({
    type: [SectionFiguresDto],
    description: '各部分完成率、序时进度与灯色（已截止的周期取截止时的快照）',
  })
  sections!: SectionFiguresDto[];
  @ApiProperty({ type: [UnitReportsDto], description: '本周期各牵头单位的报送情况（缺报、迟报在前）' })
  reports!: UnitReportsDto[];
  @ApiProperty({ type: [PackStandingDto], description: '牵头单位考核排名及较上一周期的变化' })
  scoreboard!: PackStandingDto[];
  @ApiProperty({ type: [String], description: '通报：所列逾期事项中已发督办单的（总数见 summary.noticed）' })
  notice!: string[];
  @ApiProperty({ type: [AtRiskItemDto], description: '有风险的事项（未逾期，红灯或黄灯）' })
  atRisk!: AtRiskItemDto[];
  @ApiProperty({ type: [TrendPointDto], description: '各周期计划完成率与序时进度（趋势）' })
  trend!: TrendPointDto[];
  @ApiProperty({
    type: PreviousMeetingDto,
    nullable: true,
    description: '上次调度会交办事项及其办理情况',
  })
  previousMeeting!: PreviousMeetingDto | null;
}

export class PackListQuery {
  // Bounded so the offset stays a number Postgres takes (a huge page is a 400, not a 500).
  @ApiPropertyOptional({ default: 1, maximum: 100000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100000)
  @Label('页码')
  page?: number;
  @ApiPropertyOptional({ default: 200, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  @Label('每页条数')
  pageSize?: number;
}

class PackPageDto {
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class OverduePageDto extends PackPageDto {
  @ApiProperty({ type: [OverdueItemDto] }) items!: OverdueItemDto[];
}

export class AtRiskPageDto extends PackPageDto {
  @ApiProperty({ type: [AtRiskItemDto] }) items!: AtRiskItemDto[];
}

export class ClosedPageDto extends PackPageDto {
  @ApiProperty({ type: [ClosedItemDto] }) items!: ClosedItemDto[];
}
