import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';

export class RequestExtensionDto {
  @ApiProperty({ example: '2022-09-30', description: '申请延至的完成时限' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  requestedDeadline!: string;
  @ApiProperty({ description: '延期理由' }) @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
}

export class DecisionDto {
  @ApiPropertyOptional({ description: '意见（拒绝、驳回时必填）' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  comment?: string;
}

export class RequestCloseoutDto {
  @ApiProperty({ description: '销号说明：目标完成情况' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  note!: string;
  @ApiProperty({ type: [String], description: '佐证材料 ID（来自该事项的填报）' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsUUID(undefined, { each: true })
  evidenceIds!: string[];
}

export class ReopenDto {
  @ApiProperty({ description: '重新打开的原因（回头看）' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
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
