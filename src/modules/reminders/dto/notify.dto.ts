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

export const CHANNELS = ['email', 'dingtalk', 'wecom', 'webhook'] as const;
export type ChannelKind = (typeof CHANNELS)[number];

export class NotificationDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['remind', 'urge', 'supervise', 'digest'] }) level!: string;
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

export class InboxQuery {
  @ApiPropertyOptional({ description: '只看未读' })
  @IsOptional()
  @IsIn(['true', 'false'])
  unread?: 'true' | 'false';
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;
  @ApiPropertyOptional({ default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize?: number;
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

export class PutChannelDto {
  @ApiProperty({ enum: ['unit', 'user'] }) @IsIn(['unit', 'user']) ownerType!: 'unit' | 'user';
  @ApiProperty({ format: 'uuid', description: '单位或用户' }) @IsUUID() ownerId!: string;
  @ApiProperty({ enum: CHANNELS }) @IsIn(CHANNELS) channel!: ChannelKind;
  @ApiProperty({ description: '邮箱地址，或机器人 / Webhook 的完整地址（含令牌）' })
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  address!: string;
  @ApiPropertyOptional({ description: '钉钉加签密钥或 Webhook 签名密钥；只写不读' })
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  secret?: string;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enabled?: boolean;
}

export class WebhookHostDto {
  @ApiProperty({ example: 'hooks.example.gov.cn', description: '主机名；可写 *.example.com 表示其子域名' })
  @IsString()
  @Matches(/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i, {
    message: '主机名格式不正确',
  })
  @MaxLength(253)
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
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsInt({ each: true })
  deadlineDays?: number[];
  @ApiPropertyOptional({ type: [Number], example: [3, 1], description: '填报截止前几个工作日提醒' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsInt({ each: true })
  reportDays?: number[];
  @ApiPropertyOptional({ example: 2, description: '逾期后每隔几个工作日再提醒' })
  @IsOptional()
  @IsInt()
  overdueEvery?: number;
  @ApiPropertyOptional({ example: 3, description: '逾期几个工作日后向牵头单位负责人催办' })
  @IsOptional()
  @IsInt()
  urgeAfter?: number;
  @ApiPropertyOptional({ example: 5, description: '催办后再过几个工作日向分管领导和督查室督办' })
  @IsOptional()
  @IsInt()
  superviseAfter?: number;
  @ApiPropertyOptional({ example: '09:00' }) @IsOptional() @IsString() workStart?: string;
  @ApiPropertyOptional({ example: '18:00' }) @IsOptional() @IsString() workEnd?: string;
  @ApiPropertyOptional({ example: 1, description: '近几个工作日内已填报的事项不再提醒' })
  @IsOptional()
  @IsInt()
  quietWorkdays?: number;
  @ApiPropertyOptional({ example: 5, description: '外部发送最多尝试次数' })
  @IsOptional()
  @IsInt()
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
