import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';

import { Actor } from '../../core/auth/actor';
import { CurrentActor } from '../../core/auth/decorators';
import { AppConfig } from '../../core/config/app-config';
import { DomainError } from '../../core/errors/domain-error';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { readMultipartUpload } from '../../core/http/multipart';
import { UuidPipe } from '../../core/validation/pipes';
import { DraftBodyPipe, validateBody } from './draft-body.pipe';
import { DraftsService } from './drafts.service';
import {
  CreateDraftDto,
  DraftDto,
  DraftSummaryDto,
  PublishDraftDto,
  PublishResultDto,
  UpdateDraftDto,
} from './dto/draft.dto';
import { readReportFile } from './source-file';

const uuid = new UuidPipe();

@ApiTags('计划草稿（导入工作报告）')
@ApiBearerAuth()
@Controller('api/v1/plans/drafts')
export class DraftsController {
  constructor(
    private readonly drafts: DraftsService,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @ApiOperation({
    summary:
      '导入工作报告生成计划草稿：JSON { text, year, title? }，或表单上传 file（UTF-8 .txt 或 .docx）与 year、title。出错时不保存任何内容',
  })
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['year'],
      properties: {
        text: { type: 'string', description: '报告全文（JSON 提交时必填）' },
        file: { type: 'string', format: 'binary', description: '.txt（UTF-8）或 .docx（表单上传时必填）' },
        year: { type: 'integer', example: 2022 },
        title: { type: 'string', example: '2022年工作计划' },
      },
    },
  })
  @ApiCreatedResponse({ type: DraftDto })
  @ApiErrors(400, 401, 403, 413, 415, 422)
  async create(@CurrentActor() actor: Actor, @Req() req: FastifyRequest): Promise<DraftDto> {
    this.drafts.assertMayManage(actor);
    if (!req.isMultipart()) {
      const dto = await validateBody(CreateDraftDto, req.body);
      return this.drafts.create(actor, { ...dto, sourceName: null });
    }
    const { file, fields } = await readMultipartUpload(req, {
      maxBytes: this.config.drafts.maxBytes,
      fields: ['year', 'title'],
      what: '工作报告（.txt 或 .docx）',
    });
    if (!fields.year) throw DomainError.invalid('year', '年度（year）为必填项');
    if (!/^(20\d\d|2100)$/.test(fields.year.trim()))
      throw DomainError.invalid('year', '年度（year）必须是 2000～2100 之间的整数');
    if (fields.title && fields.title.length > 200)
      throw DomainError.invalid('title', '草稿标题（title）长度超出限制（最多 200 个字符）');
    const text = await readReportFile(file);
    return this.drafts.create(actor, {
      text,
      year: Number(fields.year.trim()),
      title: fields.title,
      sourceName: file.filename.slice(0, 200),
    });
  }

  @Get()
  @ApiOperation({ summary: '计划草稿列表（本组织，最新的在前）' })
  @ApiOkResponse({ type: [DraftSummaryDto] })
  @ApiErrors(401, 403)
  list(@CurrentActor() actor: Actor): Promise<DraftSummaryDto[]> {
    return this.drafts.list(actor);
  }

  @Get(':id')
  @ApiOperation({ summary: '计划草稿：原文与拟定的部分、重点任务、具体事项' })
  @ApiOkResponse({ type: DraftDto })
  @ApiErrors(400, 401, 403, 404)
  get(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<DraftDto> {
    return this.drafts.get(actor, id);
  }

  @Put(':id')
  @ApiOperation({ summary: '保存审核后的草稿（整棵树替换；带 version，过期则 409）' })
  @ApiBody({ type: UpdateDraftDto })
  @ApiOkResponse({ type: DraftDto })
  @ApiErrors(400, 401, 403, 404, 409, 413)
  update(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    // Declared `unknown` so the global pipe leaves it to DraftBodyPipe (bracketed field paths).
    @Body(new DraftBodyPipe(UpdateDraftDto)) body: unknown,
  ): Promise<DraftDto> {
    return this.drafts.update(actor, id, body as UpdateDraftDto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: '删除未发布的计划草稿（已发布的草稿保留为计划来源，不能删除）' })
  @ApiNoContentResponse({ description: '已删除' })
  @ApiErrors(400, 401, 403, 404, 409)
  async delete(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<void> {
    await this.drafts.delete(actor, id);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @ApiOperation({
    summary:
      '发布草稿：新建计划（年度、标题取自草稿），或带 planId 添加到已有的草稿或已发布计划。每个事项须有牵头单位、责任领导和本年度内的完成时限，否则 422 列出全部问题；全部写入或全部不写',
  })
  @ApiOkResponse({ type: PublishResultDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  publish(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: PublishDraftDto,
  ): Promise<PublishResultDto> {
    return this.drafts.publish(actor, id, dto);
  }
}
