import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';

import { IsCalendarDate, IsNotBlank, Label } from '../../../core/validation/decorators';

export class RequestExtensionDto {
  @ApiProperty({ example: '2022-09-30', description: '申请延至的完成时限' })
  @IsCalendarDate()
  @Label('申请延至的完成时限')
  requestedDeadline!: string;
  @ApiProperty({ description: '延期理由' })
  @IsString()
  @IsNotBlank()
  @MaxLength(1000)
  @Label('延期理由')
  reason!: string;
}

export class DecisionDto {
  @ApiPropertyOptional({ description: '意见（拒绝、驳回时必填）' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @Label('意见')
  comment?: string;
}

export class RequestCloseoutDto {
  @ApiProperty({ description: '销号说明：目标完成情况' })
  @IsString()
  @IsNotBlank()
  @MaxLength(2000)
  @Label('销号说明')
  note!: string;
  @ApiProperty({ type: [String], description: '佐证材料 ID（来自该事项的填报）' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsUUID(undefined, { each: true })
  @Label('佐证材料')
  evidenceIds!: string[];
}

export class ReopenDto {
  @ApiProperty({ description: '重新打开的原因（回头看）' })
  @IsString()
  @IsNotBlank()
  @MaxLength(1000)
  @Label('重新打开的原因')
  reason!: string;
}

export class ExtensionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) itemId!: string;
  @ApiProperty() originalDeadline!: string;
  @ApiProperty() requestedDeadline!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({
    enum: ['pending', 'approved', 'refused', 'withdrawn'],
    description: 'withdrawn：事项暂停、取消或销号时待审批的申请自动撤销',
  })
  status!: string;
  @ApiProperty({ example: '待审批' }) statusName!: string;
  @ApiProperty({ nullable: true, type: String }) decisionComment!: string | null;
}

export class CloseoutDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) itemId!: string;
  @ApiProperty() note!: string;
  @ApiProperty({
    enum: ['pending', 'approved', 'rejected', 'withdrawn'],
    description: 'withdrawn：事项暂停、取消时待审核的申请自动撤销',
  })
  status!: string;
  @ApiProperty({ example: '待审核' }) statusName!: string;
  @ApiProperty({ nullable: true, type: String }) decisionReason!: string | null;
}
