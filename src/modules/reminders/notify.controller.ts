import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';

import { Actor } from '../../core/auth/actor';
import { CurrentActor } from '../../core/auth/decorators';
import { DomainError } from '../../core/errors/domain-error';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { UuidPipe } from '../../core/validation/pipes';
import {
  ChannelDto,
  ChannelTestDto,
  FailedDeliveryDto,
  FailedQuery,
  InboxDto,
  MarkedDto,
  UnreadCountDto,
  InboxQuery,
  ItemReminderDto,
  PutChannelDto,
  ReminderSettingsDto,
  WebhookHostDto,
  WebhookHostsDto,
} from './dto/notify.dto';
import { NotifyService } from './notify.service';

const uuid = new UuidPipe();

@ApiTags('提醒与消息')
@ApiBearerAuth()
@Controller('api/v1')
export class NotifyController {
  constructor(private readonly notify: NotifyService) {}

  @Get('inbox')
  @ApiOperation({ summary: '我的站内消息（提醒、催办、督办、每日汇总）' })
  @ApiOkResponse({ type: InboxDto })
  @ApiErrors(400, 401)
  inbox(@CurrentActor() actor: Actor, @Query() q: InboxQuery): Promise<InboxDto> {
    return this.notify.inbox(actor, q);
  }

  @Get('inbox/unread-count')
  @ApiOperation({ summary: '我的未读消息数' })
  @ApiOkResponse({ type: UnreadCountDto })
  @ApiErrors(401)
  async unread(@CurrentActor() actor: Actor): Promise<UnreadCountDto> {
    return { unread: await this.notify.unreadCount(actor) };
  }

  @Post('inbox/:id/read')
  @HttpCode(204)
  @ApiOperation({ summary: '标记为已读（只能标记自己的消息）' })
  @ApiErrors(401, 404)
  read(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<void> {
    return this.notify.markRead(actor, id);
  }

  @Post('inbox/read-all')
  @ApiOperation({ summary: '全部标记为已读' })
  @ApiOkResponse({ type: MarkedDto })
  @ApiErrors(401)
  async readAll(@CurrentActor() actor: Actor): Promise<MarkedDto> {
    return { marked: await this.notify.markAllRead(actor) };
  }

  @Get('channels')
  @ApiOperation({ summary: '单位或个人的接收渠道（密钥不返回）' })
  @ApiQuery({ name: 'ownerType', enum: ['unit', 'user'] })
  @ApiQuery({ name: 'ownerId', format: 'uuid' })
  @ApiOkResponse({ type: [ChannelDto] })
  @ApiErrors(400, 401, 403, 404)
  channels(
    @CurrentActor() actor: Actor,
    @Query('ownerType') ownerType: string,
    @Query('ownerId', uuid) ownerId: string,
  ): Promise<ChannelDto[]> {
    if (ownerType !== 'unit' && ownerType !== 'user')
      throw DomainError.invalid('ownerType', '只能是 unit 或 user');
    return this.notify.channels(actor, ownerType, ownerId);
  }

  @Put('channels')
  @ApiOperation({ summary: '设置接收渠道：邮件、钉钉机器人、企业微信机器人、签名 Webhook' })
  @ApiOkResponse({ type: ChannelDto })
  @ApiErrors(400, 401, 403, 404)
  putChannel(@CurrentActor() actor: Actor, @Body() dto: PutChannelDto): Promise<ChannelDto> {
    return this.notify.putChannel(actor, dto);
  }

  @Delete('channels/:id')
  @HttpCode(204)
  @ApiOperation({ summary: '删除接收渠道' })
  @ApiErrors(400, 401, 403, 404)
  deleteChannel(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<void> {
    return this.notify.deleteChannel(actor, id);
  }

  @Post('channels/:id/test')
  @HttpCode(200)
  @ApiOperation({
    summary:
      '立即通过该渠道发送一条测试消息（同步，限时），结果用中文说明；与正式发送同样校验允许清单和内网地址',
  })
  @ApiOkResponse({ type: ChannelTestDto })
  @ApiErrors(400, 401, 403, 404)
  testChannel(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<ChannelTestDto> {
    return this.notify.testChannel(actor, id);
  }

  @Get('admin/webhook-hosts')
  @ApiOperation({ summary: '允许的 Webhook 主机（系统管理员）' })
  @ApiOkResponse({ type: WebhookHostsDto })
  @ApiErrors(401, 403)
  hosts(@CurrentActor() actor: Actor): Promise<WebhookHostsDto> {
    return this.notify.hosts(actor);
  }

  @Post('admin/webhook-hosts')
  @HttpCode(200)
  @ApiOperation({ summary: '添加允许的 Webhook 主机（系统管理员）' })
  @ApiOkResponse({ type: WebhookHostsDto })
  @ApiErrors(400, 401, 403)
  addHost(@CurrentActor() actor: Actor, @Body() dto: WebhookHostDto): Promise<WebhookHostsDto> {
    return this.notify.addHost(actor, dto.host);
  }

  @Delete('admin/webhook-hosts/:host')
  @HttpCode(204)
  @ApiOperation({ summary: '移除允许的 Webhook 主机（系统管理员）' })
  @ApiErrors(401, 403, 404)
  removeHost(@CurrentActor() actor: Actor, @Param('host') host: string): Promise<void> {
    return this.notify.removeHost(actor, host);
  }

  @Get('notify/failed')
  @ApiOperation({ summary: '发送失败的提醒（督查室）' })
  @ApiOkResponse({ type: [FailedDeliveryDto] })
  @ApiErrors(400, 401, 403)
  failed(@CurrentActor() actor: Actor, @Query() q: FailedQuery): Promise<FailedDeliveryDto[]> {
    return this.notify.failed(actor, q.page ?? 1);
  }

  @Post('notify/failed/:id/retry')
  @HttpCode(204)
  @ApiOperation({ summary: '重新发送一条失败的提醒（督查室）' })
  @ApiErrors(401, 403, 404)
  retry(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<void> {
    return this.notify.retry(actor, id);
  }

  @Get('plans/:id/reminder-settings')
  @ApiOperation({ summary: '计划的提醒规则（未设置的取默认值）' })
  @ApiOkResponse({ type: ReminderSettingsDto })
  @ApiErrors(400, 401, 404)
  reminderSettings(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
  ): Promise<ReminderSettingsDto> {
    return this.notify.reminderSettings(actor, id);
  }

  @Patch('plans/:id/reminder-settings')
  @ApiOperation({ summary: '修改计划的提醒规则（系统管理员、督查室）' })
  @ApiOkResponse({ type: ReminderSettingsDto })
  @ApiErrors(400, 401, 403, 404)
  updateReminderSettings(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: ReminderSettingsDto,
  ): Promise<ReminderSettingsDto> {
    return this.notify.updateReminderSettings(actor, id, dto);
  }

  @Get('items/:id/reminders')
  @ApiOperation({ summary: '事项收到的提醒、催办单、督办单' })
  @ApiOkResponse({ type: [ItemReminderDto] })
  @ApiErrors(400, 401, 404)
  itemReminders(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<ItemReminderDto[]> {
    return this.notify.itemReminders(actor, id);
  }
}
