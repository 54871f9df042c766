import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Actor } from '../../core/auth/actor';
import { CurrentActor, Roles } from '../../core/auth/decorators';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { UuidPipe } from '../../core/validation/pipes';
import { CreateUnitDto, ListUnitsQuery, SetActiveDto, UnitDto, UpdateUnitDto } from './dto/unit.dto';
import { UnitsService } from './units.service';

const uuid = new UuidPipe();

@ApiTags('单位')
@ApiBearerAuth()
@Controller('api/v1/units')
export class UnitsController {
  constructor(private readonly units: UnitsService) {}

  @Get()
  @ApiOperation({ summary: '本组织的单位（按树的先序排列，含层级）' })
  @ApiOkResponse({ type: [UnitDto] })
  @ApiErrors(400, 401)
  list(@CurrentActor() actor: Actor, @Query() q: ListUnitsQuery): Promise<UnitDto[]> {
    return this.units.list(actor, q.includeInactive === 'true');
  }

  @Get(':id')
  @ApiOperation({ summary: '单位详情' })
  @ApiOkResponse({ type: UnitDto })
  @ApiErrors(400, 401, 404)
  get(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<UnitDto> {
    return this.units.get(actor, id);
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: '新建单位（系统管理员）' })
  @ApiCreatedResponse({ type: UnitDto })
  @ApiErrors(400, 401, 403, 404, 409)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateUnitDto): Promise<UnitDto> {
    return this.units.create(actor, dto);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: '改名、改类型或移动单位（系统管理员）' })
  @ApiOkResponse({ type: UnitDto })
  @ApiErrors(400, 401, 403, 404)
  update(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateUnitDto,
  ): Promise<UnitDto> {
    return this.units.update(actor, id, dto);
  }

  @Post(':id/active')
  @Roles('admin')
  @ApiOperation({ summary: '停用或重新启用单位（不删除）' })
  @ApiOkResponse({ type: UnitDto })
  @ApiErrors(400, 401, 403, 404, 409)
  setActive(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: SetActiveDto,
  ): Promise<UnitDto> {
    return this.units.setActive(actor, id, dto.active);
  }
}
