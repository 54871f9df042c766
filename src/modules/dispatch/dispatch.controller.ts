import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { Actor } from '../../core/auth/actor';
import { CurrentActor } from '../../core/auth/decorators';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { UuidPipe } from '../../core/validation/pipes';
import {
  AtRiskPageDto,
  ClosedPageDto,
  DispatchPackDto,
  OverduePageDto,
  PackListQuery,
} from './dto/dispatch-pack.dto';
import { PackExportDto, RequestPackExportDto } from './dto/pack-export.dto';
import { DispatchService } from './dispatch.service';
import { PackExportsService } from './pack-exports.service';

const uuid = new UuidPipe();

@ApiTags('月调度会')
@ApiBearerAuth()
@Controller('api/v1')
export class DispatchController {
  constructor(
    private readonly dispatch: DispatchService,
    private readonly exports: PackExportsService,
  ) {}

  @Get('cycles/:id/dispatch-pack')
  @ApiOperation({
    summary:
      '月调度会材料：截至周期截止日（或今天）的汇总、逾期与风险事项（各列前 200 项，其余分页查询）、通报、排名和上次会议交办',
  })
  @ApiOkResponse({ type: DispatchPackDto })
  @ApiErrors(400, 401, 404)
  pack(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<DispatchPackDto> {
    return this.dispatch.readPack(actor, id);
  }

  @Get('cycles/:id/dispatch-pack/overdue')
  @ApiOperation({ summary: '调度会材料的逾期事项清单（分页，顺序与材料相同）' })
  @ApiOkResponse({ type: OverduePageDto })
  @ApiErrors(400, 401, 404)
  overdue(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Query() q: PackListQuery,
  ): Promise<OverduePageDto> {
    return this.dispatch.list(actor, id, 'overdue', q);
  }

  @Get('cycles/:id/dispatch-pack/at-risk')
  @ApiOperation({ summary: '调度会材料的风险事项清单（分页，顺序与材料相同）' })
  @ApiOkResponse({ type: AtRiskPageDto })
  @ApiErrors(400, 401, 404)
  atRisk(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Query() q: PackListQuery,
  ): Promise<AtRiskPageDto> {
    return this.dispatch.list(actor, id, 'atRisk', q);
  }

  @Get('cycles/:id/dispatch-pack/closed')
  @ApiOperation({ summary: '上次调度会以来销号的事项（分页，按销号时间）' })
  @ApiOkResponse({ type: ClosedPageDto })
  @ApiErrors(400, 401, 404)
  closedSince(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Query() q: PackListQuery,
  ): Promise<ClosedPageDto> {
    return this.dispatch.list(actor, id, 'closed', q);
  }

  @Post('cycles/:id/dispatch-pack/exports')
  @HttpCode(202)
  @ApiOperation({
    summary: '导出调度会材料（xlsx 台账或含图表的 docx）：后台生成，按返回的编号查询进度并下载',
  })
  @ApiAcceptedResponse({ type: PackExportDto })
  @ApiErrors(400, 401, 404)
  requestExport(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: RequestPackExportDto,
  ): Promise<PackExportDto> {
    return this.exports.request(actor, id, dto.format);
  }

  @Get('pack-exports/:id')
  @ApiOperation({ summary: '导出任务的状态与进度（仅导出人可见）' })
  @ApiOkResponse({ type: PackExportDto })
  @ApiErrors(400, 401, 404)
  exportStatus(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<PackExportDto> {
    return this.exports.get(actor, id);
  }

  @Get('pack-exports/:id/file')
  @ApiOperation({ summary: '下载已生成的调度会材料；未完成时返回 409' })
  @ApiOkResponse({ description: 'xlsx 或 docx 文件', content: { 'application/octet-stream': {} } })
  @ApiErrors(400, 401, 404, 409)
  async exportFile(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const file = await this.exports.file(actor, id);
    const ascii = file.name.endsWith('.docx') ? 'dispatch-pack.docx' : 'dispatch-pack.xlsx';
    await reply
      .header('content-type', file.type)
      .header(
        'content-disposition',
        `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      )
      .send(file.body);
  }
}
