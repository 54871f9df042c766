import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

import { IsOmittable, Label } from '../../../core/validation/decorators';

export const CHANNELS = ['email', 'dingtalk', 'wecom', 'webhook'] as const;
export type ChannelKind = (typeof CHANNELS)[number];

export class NotificationDto {
  @ApiProperty() id!: string;
  @ApiProperty({
    enum: ['remind', 'urge', 'supervise', 'digest', 'notice'],
    description: 'remind 提醒、urge 催办、supervise 督办、digest 每日汇总、notice 审核结果通知',
  })
  level!: string;
  @ApiProperty() title!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ nullable: true, type: String }) itemId!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) readAt!: string | null;
}

export class InboxDto {
  @ApiProperty() total!: number;
  @ApiProperty() unread!: number;
  @ApiProperty({ type: [NotificationDto] }) items!: NotificationDto[];
}

export class UnreadCountDto {
  @ApiProperty({ description: '未读消息数' }) unread!: number;
}

export class MarkedDto {
  @ApiProperty({ description: '本次标记为已读的条数' }) marked!: number;
}

export class InboxQuery {
  @ApiPropertyOptional({ description: '只看未读' })
  @IsOptional()
  @IsIn(['true', 'false'])
  @Label('只看未读')
  unread?: 'true' | 'false';
  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  @Label('页码')
  page?: number;
  @ApiPropertyOptional({ default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  @Label('每页条数')
  pageSize?: number;
}

export class FailedQuery {
  @ApiPropertyOptional({ default: 1, description: '页码（每页 50 条）' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  @Label('页码')
  page?: number;
}

export class ChannelDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['unit', 'user'] }) ownerType!: 'unit' | 'user';
  @ApiProperty() ownerId!: string;
  @ApiProperty({ enum: CHANNELS }) channel!: ChannelKind;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ description: '邮箱地址；机器人和 Webhook 地址只显示主机和路径（令牌已隐去）' })
  address!: string;
  @ApiProperty({ description: '是否已保存签名密钥（密钥本身从不返回）' }) hasSecret!: boolean;
  @ApiProperty({
    description: '保存的地址和密钥无法解密（加密密钥已更换而旧密钥未配置）：外发会失败，请重新保存该渠道',
  })
  secretUnreadable!: boolean;
}

export class ChannelTestDto {
  @ApiProperty({ description: '接收方是否已收下测试消息' }) ok!: boolean;
  @ApiProperty({
    example: '测试消息已发送到钉钉机器人，请在群里查看。',
    description: '发送结果（中文）；失败时说明原因',
  })
  message!: string;
}

export class PutChannelDto {
  @ApiProperty({ enum: ['unit', 'user'] }) @IsIn(['unit', 'user']) @Label('所属类型') ownerType!:
    'unit' | 'user';
  @ApiProperty({ format: 'uuid', description: '单位或用户' }) @IsUUID() @Label('单位或用户') ownerId!: string;
  @ApiProperty({ enum: CHANNELS }) @IsIn(CHANNELS) @Label('接收渠道') channel!: ChannelKind;
  @ApiProperty({ description: '邮箱地址，或机器人 / Webhook 的完整地址（含令牌）' })
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  @Label('地址')
  address!: string;
  @ApiPropertyOptional({ description: '钉钉加签密钥或 Webhook 签名密钥；只写不读' })
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  @Label('签名密钥')
  secret?: string;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() @Label('启用状态') enabled?: boolean;
}

export class WebhookHostDto {
  @ApiProperty({ example: 'hooks.example.gov.cn', description: '主机名；可写 *.example.com 表示其子域名' })
  @IsString()
  @Matches(/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i, {
    message: '主机名格式不正确',
  })
  @MaxLength(253)
  @Label('主机名')
  host!: string;
}

export class WebhookHostsDto {
  @ApiProperty({ type: [String], description: '内置：钉钉、企业微信机器人主机' }) builtIn!: string[];
  @ApiProperty({ type: [String] }) added!: string[];
}

export class FailedDeliveryDto {
  @ApiProperty() id!: string;
  @ApiProperty() key!: string;
  @ApiProperty() channel!: string;
  @ApiProperty() recipientType!: string;
  @ApiProperty({ nullable: true, type: String }) recipientName!: string | null;
  @ApiProperty() attempts!: number;
  @ApiProperty({ nullable: true, type: String }) lastError!: string | null;
  @ApiProperty() title!: string;
  @ApiProperty({ nullable: true, type: String }) itemId!: string | null;
  @ApiProperty() createdAt!: string;
}

export class ReminderSettingsDto {
  @ApiPropertyOptional({ type: [Number], example: [7, 3, 1], description: '完成时限前几个工作日提醒' })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(10)
  @IsInt({ each: true })
  @Label('完成时限前提醒的工作日')
  deadlineDays?: number[];
  @ApiPropertyOptional({ type: [Number], example: [3, 1], description: '填报截止前几个工作日提醒' })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(10)
  @IsInt({ each: true })
  @Label('填报截止前提醒的工作日')
  reportDays?: number[];
  @ApiPropertyOptional({ example: 2, description: '逾期后每隔几个工作日再提醒' })
  @IsOmittable()
  @IsInt()
  @Label('逾期再提醒间隔')
  overdueEvery?: number;
  @ApiPropertyOptional({ example: 3, description: '逾期几个工作日后向牵头单位负责人催办' })
  @IsOmittable()
  @IsInt()
  @Label('逾期催办工作日数')
  urgeAfter?: number;
  @ApiPropertyOptional({ example: 5, description: '催办后再过几个工作日向分管领导和督查室督办' })
  @IsOmittable()
  @IsInt()
  @Label('催办后督办工作日数')
  superviseAfter?: number;
  @ApiPropertyOptional({ example: '09:00' }) @IsOmittable() @IsString() @Label('上班时间') workStart?: string;
  @ApiPropertyOptional({ example: '18:00' }) @IsOmittable() @IsString() @Label('下班时间') workEnd?: string;
  @ApiPropertyOptional({ example: 1, description: '近几个工作日内已填报的事项不再提醒' })
  @IsOmittable()
  @IsInt()
  @Label('免提醒工作日数')
  quietWorkdays?: number;
  @ApiPropertyOptional({ example: 5, description: '外部发送最多尝试次数' })
  @IsOmittable()
  @IsInt()
  @Label('最多尝试次数')
  attempts?: number;
}

export class ItemReminderDto {
  @ApiProperty() id!: string;
  @ApiProperty() kind!: string;
  @ApiProperty() level!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ nullable: true, type: String }) orderNumber!: string | null;
  @ApiProperty() dueOn!: string;
  @ApiProperty() createdAt!: string;
}
