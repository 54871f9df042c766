import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';

import { Label } from '../../../core/validation/decorators';
import type { ReviewKind } from '../domain/workbench';

export const REVIEW_KINDS: readonly ReviewKind[] = ['report', 'extension', 'closeout'];

export class ReviewQuery {
  @ApiPropertyOptional({
    enum: REVIEW_KINDS,
    description: '只看一类：report 进度填报、extension 延期申请、closeout 销号申请',
  })
  @IsOptional()
  @IsIn(REVIEW_KINDS)
  @Label('审核类型')
  kind?: ReviewKind;
  @ApiPropertyOptional({ format: 'uuid', description: '只看这个事项上等我决定的（事项页的审核区用它）' })
  @IsOptional()
  @IsUUID()
  @Label('事项')
  itemId?: string;
  @ApiPropertyOptional({ default: '1' })
  @IsOptional()
  @Matches(/^[1-9]\d{0,5}$/)
  @Label('页码')
  page?: string;
  @ApiPropertyOptional({ default: '20', description: '每页条数（最多 100）' })
  @IsOptional()
  @Matches(/^([1-9]\d?|100)$/)
  @Label('每页条数')
  pageSize?: string;
}

export class ReviewItemRefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
}

export class ReviewNamedRefDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

export class ReviewDto {
  @ApiProperty({ enum: REVIEW_KINDS, description: 'report 进度填报、extension 延期申请、closeout 销号申请' })
  kind!: ReviewKind;
  @ApiProperty({ format: 'uuid', description: '填报、延期申请或销号申请的 id（审核接口用它）' })
  id!: string;
  @ApiProperty({ type: ReviewItemRefDto, description: '所属事项' }) item!: ReviewItemRefDto;
  @ApiProperty({ type: ReviewNamedRefDto, description: '牵头单位' }) unit!: ReviewNamedRefDto;
  @ApiProperty({ type: ReviewNamedRefDto, description: '提交或申请人' }) requestedBy!: ReviewNamedRefDto;
  @ApiProperty({ format: 'date-time', description: '提交或申请时间' }) requestedAt!: string;
  @ApiProperty({ example: '2022年6月 进度 60%：已完成示范路段改造……', description: '一行中文摘要' })
  summary!: string;
  @ApiProperty({ nullable: true, type: String, example: '2022-06', description: '填报周期（仅进度填报）' })
  period!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '2022-09-30',
    description: '申请延期至（仅延期申请）',
  })
  newDeadline!: string | null;
}

export class ReviewPageDto {
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ type: [ReviewDto], description: '按提交或申请时间从早到晚' }) items!: ReviewDto[];
}

export class SummaryCycleDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: '2022-06' }) period!: string;
  @ApiProperty({ example: '2022年6月' }) periodName!: string;
  @ApiProperty({ example: '2022-06-24', description: '本周期填报截止日' }) reportDueOn!: string;
}

export class LightCountsDto {
  @ApiProperty() red!: number;
  @ApiProperty() yellow!: number;
  @ApiProperty() green!: number;
  @ApiProperty({ description: '无灯（尚未计算，或已暂停/取消）' }) none!: number;
}

export class MeSummaryDto {
  @ApiProperty({
    type: SummaryCycleDto,
    nullable: true,
    description: '当前调度周期（本组织已发布计划中最早一个未截止的周期）；没有时为 null',
  })
  cycle!: SummaryCycleDto | null;
  @ApiProperty({ description: '待填报：等于 GET /items?mine=true&todo=report_due 的 total' })
  reportDue!: number;
  @ApiProperty({ description: '已退回：等于 GET /items?mine=true&todo=returned 的 total' }) returned!: number;
  @ApiProperty({ description: '即将到期：等于 GET /items?mine=true&todo=due_soon 的 total' })
  dueSoon!: number;
  @ApiProperty({ description: '已逾期：等于 GET /items?mine=true&todo=overdue 的 total' }) overdue!: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: '待审核：等于 GET /reviews 的 total；无审核权限时为 null',
  })
  toReview!: number | null;
  @ApiProperty({ description: '未读消息：等于 GET /inbox/unread-count' }) unread!: number;
  @ApiProperty({ type: LightCountsDto, description: '我的事项（mine=true）按灯色计数' })
  lights!: LightCountsDto;
}
