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
