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

export class DispatchPackDto {
  @ApiProperty({ type: PackCycleDto }) cycle!: PackCycleDto;
  @ApiProperty({ description: '统计截至日（已截止的周期为填报截止日，进行中的为今天）' }) asOf!: string;
  @ApiProperty() closed!: boolean;
  @ApiProperty({ type: PackSummaryDto }) summary!: PackSummaryDto;
  @ApiProperty({ type: [OverdueItemDto] }) overdue!: OverdueItemDto[];
  @ApiProperty({ type: [String], description: '通报：已发督办单的逾期事项' }) notice!: string[];
}
