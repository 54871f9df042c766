import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { Actor } from '../../core/auth/actor';
import { CurrentActor } from '../../core/auth/decorators';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { UuidPipe } from '../../core/validation/pipes';
import { AuditService } from '../audit/audit.service';
import { HistoryEntryDto } from '../audit/dto/history.dto';
import {
  AssignOwnerDto,
  ChangeItemStatusDto,
  CreateItemDto,
  DeleteItemQuery,
  ItemDto,
  ItemPageDto,
  ItemRowPageDto,
  ItemsByUnitQuery,
  SearchItemsQuery,
  UnitItemCountsDto,
  UpdateItemDto,
} from './dto/item.dto';
import { ItemsService } from './items.service';

const uuid = new UuidPipe();

@ApiTags('具体事项')
@ApiBearerAuth()
@Controller('api/v1/items')
export class ItemsController {
  constructor(
    private readonly items: ItemsService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @ApiOperation({ summary: '查询事项（只返回有权查看的事项），分页、排序并给出总数' })
  @ApiOkResponse({ type: ItemPageDto, description: 'view=row 时 items 为列表行（ItemRowPageDto）' })
  @ApiExtraModels(ItemRowPageDto)
  @ApiErrors(400, 401)
  search(@CurrentActor() actor: Actor, @Query() q: SearchItemsQuery): Promise<ItemPageDto | ItemRowPageDto> {
    return this.items.search(actor, q);
  }

  @Get('by-unit')
  @ApiOperation({
    summary: '计划中有权查看的事项按牵头单位计数（可限定责任领导：领导视图的分管单位），红灯、逾期多的在前',
  })
  @ApiOkResponse({ type: [UnitItemCountsDto] })
  @ApiErrors(400, 401)
  byUnit(@CurrentActor() actor: Actor, @Query() q: ItemsByUnitQuery): Promise<UnitItemCountsDto[]> {
    return this.items.byUnit(actor, q);
  }

  @Post()
  @ApiOperation({ summary: '新建事项' })
  @ApiCreatedResponse({ type: ItemDto })
  @ApiErrors(400, 401, 403, 404, 409)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateItemDto): Promise<ItemDto> {
    return this.items.create(actor, dto);
  }

  @Get(':id')
  @ApiOperation({ summary: '事项详情' })
  @ApiOkResponse({ type: ItemDto })
  @ApiErrors(400, 401, 403, 404)
  get(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<ItemDto> {
    return this.items.get(actor, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: '修改或移动事项（需带版本号）' })
  @ApiOkResponse({ type: ItemDto })
  @ApiErrors(400, 401, 403, 404, 409)
  update(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateItemDto,
  ): Promise<ItemDto> {
    return this.items.update(actor, id, dto);
  }

  @Put(':id/owner')
  @ApiOperation({ summary: '分派或取消分派责任人' })
  @ApiOkResponse({ type: ItemDto })
  @ApiErrors(400, 401, 403, 404, 409)
  assign(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: AssignOwnerDto,
  ): Promise<ItemDto> {
    return this.items.assignOwner(actor, id, dto);
  }

  @Post(':id/status')
  @HttpCode(200)
  @ApiOperation({ summary: '变更事项状态（暂停、取消须填原因）' })
  @ApiOkResponse({ type: ItemDto })
  @ApiErrors(400, 401, 403, 404, 409)
  status(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: ChangeItemStatusDto,
  ): Promise<ItemDto> {
    return this.items.changeStatus(actor, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: '删除事项（仅草稿计划；已发布的计划请取消事项）' })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404, 409)
  async delete(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Query() q: DeleteItemQuery,
  ): Promise<void> {
    await this.items.delete(actor, id, Number(q.version));
  }

  @Get(':id/history')
  @ApiOperation({ summary: '事项的全过程留痕（中文可读）' })
  @ApiOkResponse({ type: [HistoryEntryDto] })
  @ApiErrors(400, 401, 403, 404)
  async history(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<HistoryEntryDto[]> {
    await this.items.get(actor, id);
    return this.audit.itemHistory(actor, id);
  }
}
