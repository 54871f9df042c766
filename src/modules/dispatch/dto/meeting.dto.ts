import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
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
  @IsNotEmpty()
  @MaxLength(200)
  title?: string;
  @ApiProperty({ format: 'uuid', description: '牵头单位' }) @IsUUID() leadUnitId!: string;
  @ApiProperty({ format: 'uuid', description: '责任人（牵头单位人员）' }) @IsUUID() ownerId!: string;
  @ApiProperty({ format: 'uuid', description: '责任领导' }) @IsUUID() responsibleLeaderId!: string;
  @ApiProperty({ example: '2022-07-29', description: '完成时限（北京时间的日期）' })
  @Matches(DATE, { message: '完成时限须为 YYYY-MM-DD 格式' })
  deadline!: string;
  @ApiPropertyOptional({ type: [String], description: '配合单位' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID(undefined, { each: true })
  coUnitIds?: string[];
}

export class MeetingOutcomeInputDto {
  @ApiProperty({
    enum: OUTCOME_KINDS,
    description: 'decision 议定事项，information 通报事项，action 交办事项',
  })
  @IsIn(OUTCOME_KINDS, { message: '议程结果类型须为 decision、information 或 action' })
  kind!: OutcomeKind;
  @ApiProperty({ example: '对违停整治进展滞后的单位进行约谈' })
  @IsString()
  @IsNotEmpty({ message: '议程结果内容不能为空' })
  @MaxLength(2000)
  content!: string;
  @ApiPropertyOptional({ type: MeetingActionDto, description: '交办事项必填：牵头单位、责任人、完成时限' })
  @IsOptional()
  @ValidateNested()
  @Type(() => MeetingActionDto)
  action?: MeetingActionDto;
}

export class CreateMeetingDto {
  @ApiProperty({ example: '2022-07-08', description: '会议日期' })
  @Matches(DATE, { message: '会议日期须为 YYYY-MM-DD 格式' })
  heldOn!: string;
  @ApiPropertyOptional({ example: '2022年6月重点工作调度会' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title?: string;
  @ApiPropertyOptional({ type: [String], description: '参会人员' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  attendees?: string[];
  @ApiPropertyOptional({ description: '会议纪要' })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  notes?: string;
  @ApiPropertyOptional({ type: [MeetingOutcomeInputDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => MeetingOutcomeInputDto)
  outcomes?: MeetingOutcomeInputDto[];
}

export class UpdateMeetingDto {
  @ApiProperty({ description: '读取时的版本号；已被他人修改时返回 409' }) @IsInt() @Min(1) version!: number;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(DATE, { message: '会议日期须为 YYYY-MM-DD 格式' })
  heldOn?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) title?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  attendees?: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20000) notes?: string;
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
