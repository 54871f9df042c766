import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Actor } from '../../core/auth/actor';
import { AnyAccount, CurrentActor, Roles } from '../../core/auth/decorators';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { UuidPipe, YearPipe } from '../../core/validation/pipes';
import { CyclesService } from './cycles.service';
import {
  CalendarYearDto,
  CycleDto,
  ExpectedReportDto,
  ItemStatusDto,
  LocalCalendarYearDto,
  NationalCalendarYearDto,
  PutCalendarYearDto,
  PutLocalCalendarYearDto,
  UnitExpectationsQuery,
} from './dto/cycles.dto';

const uuid = new UuidPipe();
const year = new YearPipe();

@ApiTags('工作日历与调度周期')
@ApiBearerAuth()
@Controller('api/v1')
export class CyclesController {
  constructor(private readonly cycles: CyclesService) {}

  @Get('calendar/:year')
  @AnyAccount()
  @ApiOperation({
    summary: '某年本组织实际执行的工作日历：法定节假日与调休上班日，叠加本组织自行安排的日子（local=true）',
  })
  @ApiOkResponse({ type: CalendarYearDto })
  @ApiErrors(400, 401)
  calendar(@CurrentActor() actor: Actor, @Param('year', year) y: number): Promise<CalendarYearDto> {
    return this.cycles.calendarYear(actor, y);
  }

  @Put('calendar/:year')
  @Roles('sysadmin')
  @ApiOperation({
    summary: '维护某年的国家节假日安排（平台管理员；国务院通知每年底发布；所有组织的调度周期随之重算）',
  })
  @ApiOkResponse({ type: NationalCalendarYearDto })
  @ApiErrors(400, 401, 403)
  putCalendar(
    @CurrentActor() actor: Actor,
    @Param('year', year) y: number,
    @Body() dto: PutCalendarYearDto,
  ): Promise<NationalCalendarYearDto> {
    return this.cycles.putCalendarYear(actor, y, dto);
  }

  @Get('calendar/:year/local')
  @ApiOperation({ summary: '本组织某年自行安排的休息日与上班日（在国家日历之外）' })
  @ApiOkResponse({ type: LocalCalendarYearDto })
  @ApiErrors(400, 401, 403)
  localCalendar(@CurrentActor() actor: Actor, @Param('year', year) y: number): Promise<LocalCalendarYearDto> {
    return this.cycles.localYear(actor, y);
  }

  @Put('calendar/:year/local')
  @Roles('admin')
  @ApiOperation({
    summary: '维护本组织某年自行安排的休息日与上班日（系统管理员；只重算本组织的调度周期与统计）',
  })
  @ApiOkResponse({ type: LocalCalendarYearDto })
  @ApiErrors(400, 401, 403)
  putLocalCalendar(
    @CurrentActor() actor: Actor,
    @Param('year', year) y: number,
    @Body() dto: PutLocalCalendarYearDto,
  ): Promise<LocalCalendarYearDto> {
    return this.cycles.putLocalYear(actor, y, dto);
  }

  @Get('plans/:id/cycles')
  @ApiOperation({ summary: '计划的调度周期（每月一期：填报截止日与调度会日期）' })
  @ApiOkResponse({ type: [CycleDto] })
  @ApiErrors(400, 401, 404)
  list(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<CycleDto[]> {
    return this.cycles.list(actor, id);
  }

  @Post('plans/:id/cycles')
  @ApiOperation({ summary: '按计划设置生成（或按新日历重算）全年的调度周期' })
  @ApiCreatedResponse({ type: [CycleDto] })
  @ApiErrors(400, 401, 403, 404)
  generate(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<CycleDto[]> {
    return this.cycles.generate(actor, id);
  }

  @Get('items/:id/expected-reports')
  @ApiOperation({ summary: '事项每一期应报的进度及其状态（按时、逾期、未报）' })
  @ApiOkResponse({ type: [ExpectedReportDto] })
  @ApiErrors(400, 401, 403, 404)
  forItem(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<ExpectedReportDto[]> {
    return this.cycles.forItem(actor, id);
  }

  @Get('items/:id/status')
  @ApiOperation({ summary: '事项红黄绿灯的依据：完成率、序时进度、逾期与缺报，逐条说明' })
  @ApiOkResponse({ type: ItemStatusDto })
  @ApiErrors(400, 401, 403, 404)
  itemStatus(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<ItemStatusDto> {
    return this.cycles.itemStatus(actor, id);
  }

  @Get('cycles/:id/expected-reports')
  @ApiOperation({ summary: '某调度周期内应报的进度（只含有权查看的事项）' })
  @ApiOkResponse({ type: [ExpectedReportDto] })
  @ApiErrors(400, 401, 404)
  forCycle(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<ExpectedReportDto[]> {
    return this.cycles.forCycle(actor, id);
  }

  @Get('units/:id/expected-reports')
  @ApiOperation({ summary: '某单位（含下级）牵头事项应报的进度' })
  @ApiOkResponse({ type: [ExpectedReportDto] })
  @ApiErrors(400, 401, 404)
  forUnit(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Query() q: UnitExpectationsQuery,
  ): Promise<ExpectedReportDto[]> {
    return this.cycles.forUnit(actor, id, q.planId, q.cycle);
  }
}
