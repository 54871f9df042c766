import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

import { IsCalendarDate, IsNotBlank, IsOmittable, Label } from '../../../core/validation/decorators';

export const OUTCOME_KINDS = ['decision', 'information', 'action'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];
export const OUTCOME_KIND_ZH: Record<OutcomeKind, string> = {
  decision: '议定事项',
  information: '通报事项',
  action: '交办事项',
};

/** What an action hands out: it becomes a 交办 item in the plan's "会议交办事项" key task. */
export class MeetingActionDto {
  @ApiPropertyOptional({ description: '事项标题（默认取议定内容）', example: '城区主次干道违停整治回头看' })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  @Label('事项名称')
  title?: string;
  @ApiProperty({ format: 'uuid', description: '牵头单位' }) @IsUUID() @Label('牵头单位') leadUnitId!: string;
  @ApiProperty({ format: 'uuid', description: '责任人（牵头单位人员）' })
  @IsUUID()
  @Label('责任人')
  ownerId!: string;
  @ApiProperty({ format: 'uuid', description: '责任领导' })
  @IsUUID()
  @Label('责任领导')
  responsibleLeaderId!: string;
  @ApiProperty({ example: '2022-07-29', description: '完成时限（北京时间的日期）' })
  @IsCalendarDate()
  @Label('完成时限')
  deadline!: string;
  @ApiPropertyOptional({ type: [String], description: '配合单位' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID(undefined, { each: true })
  @Label('配合单位')
  coUnitIds?: string[];
}

export class MeetingOutcomeInputDto {
  @ApiProperty({
    enum: OUTCOME_KINDS,
    description: 'decision 议定事项，information 通报事项，action 交办事项',
  })
  @IsIn(OUTCOME_KINDS, { message: '议程结果类型须为 decision、information 或 action' })
  @Label('议程结果类型')
  kind!: OutcomeKind;
  @ApiProperty({ example: '对违停整治进展滞后的单位进行约谈' })
  @IsString()
  @IsNotBlank({ message: '议程结果内容不能为空' })
  @MaxLength(2000)
  @Label('议程结果内容')
  content!: string;
  @ApiPropertyOptional({ type: MeetingActionDto, description: '交办事项必填：牵头单位、责任人、完成时限' })
  @IsOptional()
  @ValidateNested()
  @Type(() => MeetingActionDto)
  @Label('交办事项')
  action?: MeetingActionDto;
}

export class CreateMeetingDto {
  @ApiProperty({ example: '2022-07-08', description: '会议日期' })
  @IsCalendarDate()
  @Label('会议日期')
  heldOn!: string;
  @ApiPropertyOptional({ example: '2022年6月重点工作调度会' })
  @IsOptional()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  @Label('会议名称')
  title?: string;
  @ApiPropertyOptional({ type: [String], description: '参会人员' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  @Label('参会人员')
  attendees?: string[];
  @ApiPropertyOptional({ description: '会议纪要' })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  @Label('会议纪要')
  notes?: string;
  @ApiPropertyOptional({ type: [MeetingOutcomeInputDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => MeetingOutcomeInputDto)
  @Label('议程结果')
  outcomes?: MeetingOutcomeInputDto[];
}

export class UpdateMeetingDto {
  @ApiProperty({ description: '读取时的版本号；已被他人修改时返回 409' })
  @IsInt()
  @Min(1)
  @Label('版本号')
  version!: number;
  @ApiPropertyOptional()
  @IsOmittable()
  @IsCalendarDate()
  @Label('会议日期')
  heldOn?: string;
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  @Label('会议名称')
  title?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  @Label('参会人员')
  attendees?: string[];
  @ApiPropertyOptional() @IsOmittable() @IsString() @MaxLength(20000) @Label('会议纪要') notes?: string;
}

export class OutcomeItemDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() leadUnit!: string;
  @ApiProperty({ nullable: true, type: String }) owner!: string | null;
  @ApiProperty() deadline!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ nullable: true, type: Number }) completion!: number | null;
  @ApiProperty({ nullable: true, type: String }) light!: string | null;
}

export class MeetingOutcomeDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: OUTCOME_KINDS }) kind!: OutcomeKind;
  @ApiProperty() kindName!: string;
  @ApiProperty() content!: string;
  @ApiProperty() sortOrder!: number;
  @ApiProperty({ type: OutcomeItemDto, nullable: true, description: '交办事项生成的事项' })
  item!: OutcomeItemDto | null;
}

export class MeetingDto {
  @ApiProperty() id!: string;
  @ApiProperty() planId!: string;
  @ApiProperty() cycleId!: string;
  @ApiProperty() period!: string;
  @ApiProperty() heldOn!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: [String] }) attendees!: string[];
  @ApiProperty() notes!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ type: [MeetingOutcomeDto] }) outcomes!: MeetingOutcomeDto[];
}
