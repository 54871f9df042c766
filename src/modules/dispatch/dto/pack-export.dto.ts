import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';

import { Label } from '../../../core/validation/decorators';

export class RequestPackExportDto {
  @ApiProperty({
    enum: ['xlsx', 'docx'],
    description: 'xlsx 台账（每部分一个工作表）或 docx 会议材料（含图表）',
  })
  @IsIn(['xlsx', 'docx'], { message: '导出格式须为 xlsx 或 docx' })
  @Label('导出格式')
  format!: 'xlsx' | 'docx';
}

export class PackExportDto {
  @ApiProperty() id!: string;
  @ApiProperty() cycleId!: string;
  @ApiProperty({ enum: ['xlsx', 'docx'] }) format!: 'xlsx' | 'docx';
  @ApiProperty({ enum: ['queued', 'running', 'done', 'failed'], description: '排队、生成中、已完成、失败' })
  status!: 'queued' | 'running' | 'done' | 'failed';
  @ApiProperty({ description: '生成进度（0～100）' }) progress!: number;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({ nullable: true, type: String }) fileName!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: '文件字节数' }) size!: number | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: '完成后下载文件的地址' }) fileUrl!: string | null;
}
