import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
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

import { IsNotBlank, Label } from '../../../core/validation/decorators';

export class ActualDto {
  @ApiProperty({ format: 'uuid', description: '量化指标 ID' }) @IsUUID() @Label('量化指标') targetId!: string;
  @ApiProperty({ example: 0.6 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Label('完成值')
  value!: number;
  @ApiProperty({ example: '万平方米', description: '单位；可与指标单位不同，只要能换算' })
  @IsString()
  @IsNotBlank()
  @MaxLength(20)
  @Label('计量单位')
  unit!: string;
}

export class SaveReportDto {
  @ApiPropertyOptional({ description: '修改已有填报时必填：读取时的版本号' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Label('版本号')
  version?: number;
  @ApiProperty({ minimum: 0, maximum: 100, example: 60 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  @Label('完成率')
  percent!: number;
  @ApiProperty({ description: '进展情况' })
  @IsString()
  @IsNotBlank()
  @MaxLength(5000)
  @Label('进展情况')
  progress!: string;
  @ApiPropertyOptional({ description: '存在问题' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  @Label('存在问题')
  problems?: string;
  @ApiPropertyOptional({ description: '下步计划' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  @Label('下步计划')
  nextSteps?: string;
  @ApiPropertyOptional({ description: '完成率低于上次审核通过的数值时必填' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @Label('完成率下降原因')
  decreaseReason?: string;
  @ApiPropertyOptional({ type: [ActualDto], description: '量化指标完成值' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ActualDto)
  @Label('量化指标完成值')
  actuals?: ActualDto[];
}

export class VersionDto {
  @ApiProperty({ description: '读取时的版本号' }) @IsInt() @Min(1) @Label('版本号') version!: number;
}

export class ReturnReportDto extends VersionDto {
  @ApiProperty({ description: '退回意见' })
  @IsString()
  @IsNotBlank()
  @MaxLength(1000)
  @Label('退回意见')
  comment!: string;
}

export class ContributionDto {
  @ApiProperty({ description: '配合单位的工作情况' })
  @IsString()
  @IsNotBlank()
  @MaxLength(5000)
  @Label('配合情况')
  text!: string;
  @ApiPropertyOptional({ type: [ActualDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ActualDto)
  @Label('量化指标完成值')
  actuals?: ActualDto[];
}

class ActualViewDto {
  @ApiProperty({ format: 'uuid' }) targetId!: string;
  @ApiProperty() value!: number;
  @ApiProperty() unit!: string;
}

class EvidenceDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() filename!: string;
  @ApiProperty() mime!: string;
  @ApiProperty() size!: number;
  @ApiProperty() sha256!: string;
  @ApiProperty({ example: '/api/v1/evidence/…/download' }) url!: string;
}

class ContributionViewDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() unitName!: string;
  @ApiProperty() text!: string;
  @ApiProperty({ type: [ActualViewDto] }) actuals!: ActualViewDto[];
}

export class ReportDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) itemId!: string;
  @ApiProperty({
    example: '2022-06',
    description: '填报周期：每月 YYYY-MM，每周 YYYY-Www，每季度 YYYY-Qn，每年 YYYY',
  })
  periodKey!: string;
  @ApiProperty({ enum: ['draft', 'submitted', 'approved', 'returned'] }) status!: string;
  @ApiProperty({ example: '已提交' }) statusName!: string;
  @ApiProperty({ nullable: true, type: Number }) percent!: number | null;
  @ApiProperty() progress!: string;
  @ApiProperty() problems!: string;
  @ApiProperty() nextSteps!: string;
  @ApiProperty({ nullable: true, type: String }) decreaseReason!: string | null;
  @ApiProperty({ nullable: true, type: String }) reviewComment!: string | null;
  @ApiProperty() version!: number;
  @ApiProperty({ type: [ActualViewDto] }) actuals!: ActualViewDto[];
  @ApiProperty({ type: [ContributionViewDto] }) contributions!: ContributionViewDto[];
  @ApiProperty({ type: [EvidenceDto] }) evidence!: EvidenceDto[];
}

class TargetProgressDto {
  @ApiProperty({ format: 'uuid' }) targetId!: string;
  @ApiProperty() metric!: string;
  @ApiProperty() unit!: string;
  @ApiProperty({ nullable: true, type: Number, description: '目标值（区间指标为下限；脱敏时为空）' })
  target!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '区间指标的上限；非区间指标或脱敏时为空' })
  upper!: number | null;
  @ApiProperty({ description: '牵头单位与配合单位合计完成值（换算为指标单位）' }) actual!: number;
  @ApiProperty({ description: '无法换算、未计入的填报值', type: [ActualViewDto] }) skipped!: ActualViewDto[];
}

export class ItemProgressDto {
  @ApiProperty({ nullable: true, type: Number, description: '最近一次审核通过的完成率' }) percent!:
    number | null;
  @ApiProperty({ nullable: true, type: String }) periodKey!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) approvedAt!: string | null;
  @ApiProperty({ type: [TargetProgressDto] }) targets!: TargetProgressDto[];
}
