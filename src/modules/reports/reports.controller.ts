import { Body, Controller, Get, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';

import { Actor } from '../../core/auth/actor';
import { CurrentActor } from '../../core/auth/decorators';
import { AppConfig } from '../../core/config/app-config';
import { DomainError } from '../../core/errors/domain-error';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { readMultipartStream } from '../../core/http/multipart';
import { UuidPipe } from '../../core/validation/pipes';
import {
  ContributionDto,
  ItemProgressDto,
  ReportDto,
  ReturnReportDto,
  SaveReportDto,
  VersionDto,
} from './dto/report.dto';
import { ReportsService } from './reports.service';

const uuid = new UuidPipe();
const PERIOD = /^\d{4}(-(0[1-9]|1[0-2]|W\d{2}|Q[1-4]))?$/;

@ApiTags('进度填报')
@ApiBearerAuth()
@Controller('api/v1')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly config: AppConfig,
  ) {}

  @Get('items/:id/reports')
  @ApiOperation({ summary: '事项的各期进度填报' })
  @ApiOkResponse({ type: [ReportDto] })
  @ApiErrors(400, 401, 403, 404)
  list(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<ReportDto[]> {
    return this.reports.list(actor, id);
  }

  @Get('items/:id/progress')
  @ApiOperation({ summary: '事项最近一次审核通过的完成率与量化指标完成值（含配合单位，已换算）' })
  @ApiOkResponse({ type: ItemProgressDto })
  @ApiErrors(400, 401, 403, 404)
  progress(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<ItemProgressDto> {
    return this.reports.progress(actor, id);
  }

  @Put('items/:id/reports/:period')
  @ApiOperation({ summary: '填写或修改某一期的进度（草稿或被退回时）' })
  @ApiOkResponse({ type: ReportDto })
  @ApiErrors(400, 401, 403, 404, 409)
  save(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Param('period') period: string,
    @Body() dto: SaveReportDto,
  ): Promise<ReportDto> {
    if (!PERIOD.test(period))
      throw DomainError.invalid('periodKey', '填报周期格式不正确，例如 2022-06、2022-W23、2022-Q2、2022');
    return this.reports.save(actor, id, period, dto);
  }

  @Post('reports/:id/submit')
  @HttpCode(200)
  @ApiOperation({ summary: '提交填报，等待审核' })
  @ApiOkResponse({ type: ReportDto })
  @ApiErrors(400, 401, 403, 404, 409)
  submit(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: VersionDto,
  ): Promise<ReportDto> {
    return this.reports.submit(actor, id, dto.version);
  }

  @Post('reports/:id/return')
  @HttpCode(200)
  @ApiOperation({ summary: '退回重办（须填写意见）' })
  @ApiOkResponse({ type: ReportDto })
  @ApiErrors(400, 401, 403, 404, 409)
  returnReport(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: ReturnReportDto,
  ): Promise<ReportDto> {
    return this.reports.returnReport(actor, id, dto);
  }

  @Post('reports/:id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: '审核通过' })
  @ApiOkResponse({ type: ReportDto })
  @ApiErrors(400, 401, 403, 404, 409)
  approve(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: VersionDto,
  ): Promise<ReportDto> {
    return this.reports.approve(actor, id, dto.version);
  }

  @Post('reports/:id/contributions')
  @ApiOperation({ summary: '配合单位补充配合情况与完成值' })
  @ApiOkResponse({ type: ReportDto })
  @ApiErrors(400, 401, 403, 404, 409)
  contribute(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: ContributionDto,
  ): Promise<ReportDto> {
    return this.reports.contribute(actor, id, dto);
  }

  @Post('reports/:id/evidence')
  @ApiOperation({ summary: '上传佐证材料（multipart 字段 file；PDF、JPG、PNG、DOCX、XLSX）' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' } },
    },
  })
  @ApiOkResponse({ type: ReportDto })
  @ApiErrors(400, 401, 403, 404, 409, 413, 415)
  async evidence(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Req() req: FastifyRequest,
  ): Promise<ReportDto> {
    return this.reports.addEvidence(actor, id, (receive) =>
      readMultipartStream(req, { maxBytes: this.config.evidence.maxBytes, what: '佐证材料' }, receive),
    );
  }

  @Get('evidence/:id/download')
  @ApiOperation({ summary: '下载佐证材料（只限能查看该事项的人）' })
  @ApiOkResponse({ description: '文件内容' })
  @ApiErrors(400, 401, 403, 404)
  async download(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const file = await this.reports.download(actor, id);
    await reply
      .header('content-type', file.mime)
      .header('content-length', String(file.size))
      .header('x-content-type-options', 'nosniff')
      .header(
        'content-disposition',
        `attachment; filename="evidence"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      )
      .send(file.stream);
  }
}
