import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { Actor } from '../../core/auth/actor';
import { CurrentActor } from '../../core/auth/decorators';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { UuidPipe } from '../../core/validation/pipes';
import {
  CloseTaskDto,
  CopyPlanDto,
  CreatePlanDto,
  CreateSectionDto,
  CreateTaskDto,
  PlanDto,
  PlanSettingsDto,
  PlanTreeDto,
  SectionDto,
  TaskDto,
  UpdateSectionDto,
  UpdateTaskDto,
} from './dto/plan.dto';
import { PlansService } from './plans.service';

const uuid = new UuidPipe();

@ApiTags('计划')
@ApiBearerAuth()
@Controller('api/v1')
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  @Get('plans')
  @ApiOperation({ summary: '本组织的年度计划' })
  @ApiOkResponse({ type: [PlanDto] })
  @ApiErrors(401)
  list(@CurrentActor() actor: Actor): Promise<PlanDto[]> {
    return this.plans.list(actor);
  }

  @Post('plans')
  @ApiOperation({ summary: '新建计划（草稿；系统管理员、督查室）' })
  @ApiCreatedResponse({ type: PlanDto })
  @ApiErrors(400, 401, 403, 409)
  create(@CurrentActor() actor: Actor, @Body() dto: CreatePlanDto): Promise<PlanDto> {
    return this.plans.create(actor, dto);
  }

  @Get('plans/:id')
  @ApiOperation({ summary: '计划详情' })
  @ApiOkResponse({ type: PlanDto })
  @ApiErrors(400, 401, 404)
  get(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<PlanDto> {
    return this.plans.get(actor, id);
  }

  @Get('plans/:id/tree')
  @ApiOperation({ summary: '计划的完整结构：部分 → 重点任务，每个节点带事项数' })
  @ApiOkResponse({ type: PlanTreeDto })
  @ApiErrors(400, 401, 404)
  tree(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<PlanTreeDto> {
    return this.plans.tree(actor, id);
  }

  @Get('plans/:id/settings')
  @ApiOperation({ summary: '计划的调度设置' })
  @ApiOkResponse({ type: PlanSettingsDto })
  @ApiErrors(400, 401, 404)
  settings(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<PlanSettingsDto> {
    return this.plans.settings(actor, id);
  }

  @Patch('plans/:id/settings')
  @ApiOperation({ summary: '修改调度设置（填报截止、调度会日期、按时判定）；已发布的计划随即重算调度周期' })
  @ApiOkResponse({ type: PlanSettingsDto })
  @ApiErrors(400, 401, 403, 404, 409)
  updateSettings(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: PlanSettingsDto,
  ): Promise<PlanSettingsDto> {
    return this.plans.updateSettings(actor, id, dto);
  }

  @Post('plans/:id/publish')
  @HttpCode(200)
  @ApiOperation({ summary: '发布计划' })
  @ApiOkResponse({ type: PlanDto })
  @ApiErrors(400, 401, 403, 404, 409)
  publish(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<PlanDto> {
    return this.plans.publish(actor, id);
  }

  @Post('plans/:id/archive')
  @HttpCode(200)
  @ApiOperation({ summary: '归档计划（归档后只读）' })
  @ApiOkResponse({ type: PlanDto })
  @ApiErrors(400, 401, 403, 404, 409)
  archive(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<PlanDto> {
    return this.plans.archive(actor, id);
  }

  @Post('plans/:id/copy')
  @ApiOperation({ summary: '把计划复制到新年度（草稿）' })
  @ApiCreatedResponse({ type: PlanDto })
  @ApiErrors(400, 401, 403, 404, 409)
  copy(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: CopyPlanDto,
  ): Promise<PlanDto> {
    return this.plans.copy(actor, id, dto);
  }

  @Post('plans/:id/sections')
  @ApiOperation({ summary: '新增计划部分' })
  @ApiCreatedResponse({ type: SectionDto })
  @ApiErrors(400, 401, 403, 404, 409)
  createSection(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: CreateSectionDto,
  ): Promise<SectionDto> {
    return this.plans.createSection(actor, id, dto);
  }

  @Patch('sections/:id')
  @ApiOperation({ summary: '修改或调整计划部分的顺序' })
  @ApiOkResponse({ type: SectionDto })
  @ApiErrors(400, 401, 403, 404, 409)
  updateSection(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateSectionDto,
  ): Promise<SectionDto> {
    return this.plans.updateSection(actor, id, dto);
  }

  @Delete('sections/:id')
  @HttpCode(204)
  @ApiOperation({ summary: '删除计划部分（仅草稿计划）' })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404, 409)
  async deleteSection(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<void> {
    await this.plans.deleteSection(actor, id);
  }

  @Post('sections/:id/tasks')
  @ApiOperation({ summary: '新增重点任务' })
  @ApiCreatedResponse({ type: TaskDto })
  @ApiErrors(400, 401, 403, 404, 409)
  createTask(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: CreateTaskDto,
  ): Promise<TaskDto> {
    return this.plans.createTask(actor, id, dto);
  }

  @Patch('tasks/:id')
  @ApiOperation({ summary: '修改、移动重点任务或调整顺序' })
  @ApiOkResponse({ type: TaskDto })
  @ApiErrors(400, 401, 403, 404, 409)
  updateTask(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateTaskDto,
  ): Promise<TaskDto> {
    return this.plans.updateTask(actor, id, dto);
  }

  @Delete('tasks/:id')
  @HttpCode(204)
  @ApiOperation({ summary: '删除重点任务（仅草稿计划）' })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404, 409)
  async deleteTask(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<void> {
    await this.plans.deleteTask(actor, id);
  }

  @Post('tasks/:id/close')
  @HttpCode(200)
  @ApiOperation({ summary: '关闭或取消重点任务；有未办结事项时须说明一并销号还是取消' })
  @ApiOkResponse({ type: TaskDto })
  @ApiErrors(400, 401, 403, 404, 409)
  closeTask(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: CloseTaskDto,
  ): Promise<TaskDto> {
    return this.plans.closeTask(actor, id, dto);
  }
}
