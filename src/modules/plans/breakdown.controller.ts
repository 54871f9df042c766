import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOperation,
  ApiOkResponse,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';

import { Actor } from '../../core/auth/actor';
import { CurrentActor } from '../../core/auth/decorators';
import { AppConfig } from '../../core/config/app-config';
import { DomainError, ErrorCode } from '../../core/errors/domain-error';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { readMultipartUpload } from '../../core/http/multipart';
import { UuidPipe } from '../../core/validation/pipes';
import { BreakdownService } from './breakdown.service';
import { PlanDto } from './dto/plan.dto';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const uuid = new UuidPipe();

class ImportResultDto {
  @ApiProperty({ type: PlanDto }) plan!: PlanDto;
  @ApiProperty({ description: '新增的部分数' }) sections!: number;
  @ApiProperty({ description: '新增的重点任务数' }) tasks!: number;
  @ApiProperty({ description: '新增的具体事项数' }) items!: number;
}

@ApiTags('任务分解表')
@ApiBearerAuth()
@Controller('api/v1/plans')
export class BreakdownController {
  constructor(
    private readonly breakdown: BreakdownService,
    private readonly config: AppConfig,
  ) {}

  @Get(':id/breakdown.xlsx')
  @ApiOperation({ summary: '导出任务分解表（.xlsx）' })
  @ApiOkResponse({
    description: '任务分解表文件',
    content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiErrors(400, 401, 404)
  async export(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { file, filename } = await this.breakdown.export(actor, id);
    await reply
      .header('content-type', XLSX)
      .header(
        'content-disposition',
        `attachment; filename="breakdown.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`,
      )
      .send(file);
  }

  @Post('import')
  @ApiOperation({
    summary:
      '导入任务分解表：表单字段 file（.xlsx），以及 planId（导入到已有的草稿计划）或 year、title（新建草稿计划）。全部校验通过才写入',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary' },
        planId: { type: 'string', format: 'uuid' },
        year: { type: 'integer', example: 2023 },
        title: { type: 'string' },
      },
    },
  })
  @ApiCreatedResponse({ type: ImportResultDto })
  @ApiErrors(400, 401, 403, 404, 409, 413, 415, 422)
  async import(@CurrentActor() actor: Actor, @Req() req: FastifyRequest): Promise<ImportResultDto> {
    this.breakdown.assertMayImport(actor);
    const { file: upload, fields } = await readMultipartUpload(req, {
      maxBytes: this.config.imports.maxBytes,
      fields: ['planId', 'year', 'title'],
      what: ' .xlsx 文件',
    });
    const file = upload.content;
    // Type is judged by name and by content (an .xlsx is a zip: it starts with "PK\x03\x04").
    if (
      !upload.filename.toLowerCase().endsWith('.xlsx') ||
      file.subarray(0, 4).toString('binary') !== 'PK\x03\x04'
    ) {
      throw new DomainError(ErrorCode.UnsupportedMediaType, '只支持 Excel 2007 及以上的 .xlsx 文件', [
        { field: 'file', message: '文件不是 .xlsx 格式' },
      ]);
    }
    if (
      fields.planId &&
      !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(fields.planId)
    )
      throw DomainError.invalid('planId', '计划（planId）必须是有效的 ID');
    if (fields.year && !/^(20\d\d|2100)$/.test(fields.year))
      throw DomainError.invalid('year', '年度（year）必须是 2000～2100 之间的整数');
    if (fields.title && fields.title.length > 200)
      throw DomainError.invalid('title', '计划标题（title）长度超出限制（最多 200 个字符）');
    return this.breakdown.import(actor, file, {
      planId: fields.planId,
      year: fields.year ? Number(fields.year) : undefined,
      title: fields.title,
    });
  }
}
