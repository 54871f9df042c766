import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

import { IsCalendarDate, IsNotBlank, Label } from '../../../core/validation/decorators';

export class CalendarDayDto {
  @ApiProperty({ example: '2022-10-01' }) @IsCalendarDate() @Label('日期') date!: string;
  @ApiProperty({ example: '国庆节' }) @IsString() @IsNotBlank() @MaxLength(20) @Label('名称') name!: string;
}

export class NationalCalendarYearDto {
  @ApiProperty({ example: 2022 }) year!: number;
  @ApiProperty({ type: [CalendarDayDto], description: '放假日（含假期中的周末）' })
  holidays!: CalendarDayDto[];
  @ApiProperty({ type: [CalendarDayDto], description: '调休上班的周末' }) makeUpWorkdays!: CalendarDayDto[];
}

export class EffectiveCalendarDayDto {
  @ApiProperty({ example: '2022-10-01' }) date!: string;
  @ApiProperty({ example: '国庆节' }) name!: string;
  @ApiProperty({ description: '本组织自行安排（不是国家日历）' }) local!: boolean;
}

export class CalendarYearDto {
  @ApiProperty({ example: 2022 }) year!: number;
  @ApiProperty({ type: [EffectiveCalendarDayDto], description: '放假日（含假期中的周末与本组织的休息日）' })
  holidays!: EffectiveCalendarDayDto[];
  @ApiProperty({
    type: [EffectiveCalendarDayDto],
    description: '休息日改为上班的日子（调休上班的周末与本组织安排的上班日）',
  })
  makeUpWorkdays!: EffectiveCalendarDayDto[];
}

export class LocalCalendarYearDto {
  @ApiProperty({ example: 2022 }) year!: number;
  @ApiProperty({ type: [CalendarDayDto], description: '本组织在国家工作日之外另行放假的日子' })
  holidays!: CalendarDayDto[];
  @ApiProperty({ type: [CalendarDayDto], description: '本组织在国家休息日安排上班的日子' })
  workdays!: CalendarDayDto[];
}

export class PutLocalCalendarYearDto {
  @ApiProperty({ type: [CalendarDayDto] })
  @IsArray()
  @ArrayMaxSize(60)
  @ValidateNested({ each: true })
  @Type(() => CalendarDayDto)
  @Label('本组织休息日')
  holidays!: CalendarDayDto[];

  @ApiProperty({ type: [CalendarDayDto] })
  @IsArray()
  @ArrayMaxSize(60)
  @ValidateNested({ each: true })
  @Type(() => CalendarDayDto)
  @Label('本组织调休上班日')
  workdays!: CalendarDayDto[];
}

export class PutCalendarYearDto {
  @ApiProperty({ type: [CalendarDayDto] })
  @IsArray()
  @ArrayMaxSize(60)
  @ValidateNested({ each: true })
  @Type(() => CalendarDayDto)
  @Label('放假日')
  holidays!: CalendarDayDto[];

  @ApiProperty({ type: [CalendarDayDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CalendarDayDto)
  @Label('调休上班日')
  makeUpWorkdays!: CalendarDayDto[];
}

export class CycleDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '2022-06' }) period!: string;
  @ApiProperty() startDate!: string;
  @ApiProperty() endDate!: string;
  @ApiProperty({ description: '填报截止日（工作日）' }) reportDue!: string;
  @ApiProperty({ description: '月调度会日期（工作日）' }) meetingDate!: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status!: string;
  @ApiProperty({ example: '进行中' }) statusName!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: '本周期调度会记录（尚未记录为 null）',
  })
  meetingId!: string | null;
}

export class ExpectedReportDto {
  @ApiProperty({ format: 'uuid' }) itemId!: string;
  @ApiProperty() itemTitle!: string;
  @ApiProperty() leadUnitName!: string;
  @ApiProperty({ example: '2022-06' }) key!: string;
  @ApiProperty() start!: string;
  @ApiProperty() end!: string;
  @ApiProperty({ description: '应报日期' }) due!: string;
  @ApiProperty({ enum: ['upcoming', 'due', 'on_time', 'late', 'missing'] }) state!: string;
  @ApiProperty({ example: '按时提交' }) stateName!: string;
  @ApiProperty({ nullable: true, type: String }) submittedOn!: string | null;
}

export class UnitExpectationsQuery {
  @ApiProperty({ format: 'uuid' }) @IsUUID() @Label('计划') planId!: string;
  @ApiPropertyOptional({ example: '2022-06', description: '只看某个调度周期' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/)
  @Label('调度周期')
  cycle?: string;
}

class StoredFiguresDto {
  @ApiProperty({ nullable: true, type: Number }) completion!: number | null;
  @ApiProperty({ nullable: true, type: Number }) expected!: number | null;
  @ApiProperty({ nullable: true, type: String }) light!: string | null;
  @ApiProperty() overdueWorkdays!: number;
  @ApiProperty() missingReports!: number;
  @ApiProperty({ format: 'date-time' }) computedAt!: string;
}

class ReasonDto {
  @ApiProperty({ example: 'overdue' }) code!: string;
  @ApiProperty({ nullable: true, type: String }) light!: string | null;
  @ApiProperty({ example: '已超过完成时限 5 个工作日' }) text!: string;
}

class TargetExplainDto {
  @ApiProperty() metric!: string;
  @ApiProperty() unit!: string;
  @ApiProperty({ nullable: true, type: Number, description: '目标值（区间指标为下限）' }) target!:
    number | null;
  @ApiProperty({ nullable: true, type: Number, description: '区间指标的上限；非区间指标或脱敏时为 null' })
  upper!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '最近一次审核通过的填报中的完成值（已换算）' })
  actual!: number | null;
}

export class ItemStatusDto {
  @ApiProperty({ type: StoredFiguresDto, nullable: true, description: 'worker 最近一次计算的结果' })
  computed!: StoredFiguresDto | null;
  @ApiProperty({ nullable: true, type: Number, description: '按规则现算的完成率' }) completion!:
    number | null;
  @ApiProperty({ example: 'targets', description: 'closed / targets / percent / none' })
  completionSource!: string;
  @ApiProperty({ description: '序时进度' }) expected!: number;
  @ApiProperty({ example: 'linear' }) expectedBasis!: string;
  @ApiProperty({ nullable: true, type: String }) light!: string | null;
  @ApiProperty({ type: [ReasonDto], description: '亮灯依据' }) reasons!: ReasonDto[];
  @ApiProperty({ nullable: true, type: Number }) overdueWorkdays!: number | null;
  @ApiProperty({ nullable: true, type: Number }) workdaysLeft!: number | null;
  @ApiProperty({ type: [TargetExplainDto] }) targets!: TargetExplainDto[];
  @ApiProperty({ type: [ExpectedReportDto] }) reports!: ExpectedReportDto[];
}
