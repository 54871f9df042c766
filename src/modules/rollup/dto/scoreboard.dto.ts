import { ApiProperty } from '@nestjs/swagger';

export class UnitStandingDto {
  @ApiProperty({ format: 'uuid' }) unitId!: string;
  @ApiProperty() unitName!: string;
  @ApiProperty({ nullable: true, type: Number, description: '排名（1, 2, 2, 4）' }) rank!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '四分位 1–4' }) quartile!: number | null;
  @ApiProperty({ nullable: true, enum: ['green', 'yellow', 'red'], type: String }) band!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: '得分 0–100' }) score!: number | null;
  @ApiProperty() items!: number;
  @ApiProperty() closed!: number;
  @ApiProperty() closedOnTime!: number;
  @ApiProperty() overdue!: number;
  @ApiProperty() red!: number;
  @ApiProperty() yellow!: number;
  @ApiProperty() green!: number;
  @ApiProperty({ nullable: true, type: Number }) completionMean!: number | null;
  @ApiProperty({ nullable: true, type: Number }) onTimeClosePercent!: number | null;
  @ApiProperty({ nullable: true, type: Number }) reportOnTimePercent!: number | null;
}

export class ScoreboardDto {
  @ApiProperty({ example: '2022-06-15' }) asOf!: string;
  @ApiProperty({ type: [UnitStandingDto], description: '作为牵头单位' }) lead!: UnitStandingDto[];
  @ApiProperty({ type: [UnitStandingDto], description: '作为配合单位' }) co!: UnitStandingDto[];
}

export class TrendPointDto {
  @ApiProperty({ example: '2022-05', description: '调度周期' }) period!: string;
  @ApiProperty({ enum: ['plan', 'section', 'task', 'unit-lead', 'unit-co'] }) kind!: string;
  @ApiProperty({ format: 'uuid', description: '计划、部分、重点任务或单位的 ID' }) subjectId!: string;
  @ApiProperty({ nullable: true, type: Number }) completion!: number | null;
  @ApiProperty({ nullable: true, type: Number }) expected!: number | null;
  @ApiProperty({ nullable: true, type: String }) light!: string | null;
  @ApiProperty() red!: number;
  @ApiProperty() yellow!: number;
  @ApiProperty() green!: number;
  @ApiProperty({ nullable: true, type: Number }) score!: number | null;
  @ApiProperty({ nullable: true, type: Number }) rank!: number | null;
  @ApiProperty({ description: '进行中的调度周期的实时数字（不是截止快照）' }) live!: boolean;
}

export class TrendDto {
  @ApiProperty({ type: [TrendPointDto], description: '每个已截止调度周期的快照，以及进行中周期的实时数字' })
  points!: TrendPointDto[];
}
