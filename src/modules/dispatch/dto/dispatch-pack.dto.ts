import { ApiProperty } from '@nestjs/swagger';

export class PackCycleDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: '2022-06' }) period!: string;
  @ApiProperty() reportDue!: string;
  @ApiProperty() meetingDate!: string;
}

export class PackSummaryDto {
  @ApiProperty({ description: '计入的事项数（不含草稿、已取消）' }) items!: number;
  @ApiProperty({ description: '截至当日已销号' }) closed!: number;
  @ApiProperty({ description: '按原完成时限销号' }) closedOnTime!: number;
  @ApiProperty({ description: '截至当日逾期未销号' }) overdue!: number;
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

export class DispatchPackDto {
  @ApiProperty({ type: PackCycleDto }) cycle!: PackCycleDto;
  @ApiProperty({ description: '统计截至日（已截止的周期为填报截止日，进行中的为今天）' }) asOf!: string;
  @ApiProperty() closed!: boolean;
  @ApiProperty({ type: PackSummaryDto }) summary!: PackSummaryDto;
  @ApiProperty({ type: [OverdueItemDto] }) overdue!: OverdueItemDto[];
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
  @ApiProperty({ type: [String], description: '通报：已发督办单的逾期事项' }) notice!: string[];
}
