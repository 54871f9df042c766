import { ApiProperty } from '@nestjs/swagger';

export class HistoryChangeDto {
  @ApiProperty({ example: 'ownerId' }) field!: string;
  @ApiProperty({ example: '责任人' }) fieldName!: string;
  @ApiProperty({ example: '（空）' }) before!: string;
  @ApiProperty({ example: '蒋浩' }) after!: string;
}

export class HistoryEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ example: '刘洋（xxs.dispatch）' }) actor!: string;
  @ApiProperty({ example: 'assign' }) action!: string;
  @ApiProperty({ example: '分派责任人' }) actionName!: string;
  @ApiProperty({ type: [HistoryChangeDto] }) changes!: HistoryChangeDto[];
  @ApiProperty({ example: '2022-06-14 09:30 刘洋（xxs.dispatch）分派责任人：责任人由“（空）”改为“蒋浩”' })
  summary!: string;
}

export class AuditVerifyDto {
  @ApiProperty({ description: '链条完整为 true' }) ok!: boolean;
  @ApiProperty({ description: '检查的记录数' }) checked!: number;
  @ApiProperty({ nullable: true, type: Object, description: '第一处断裂：记录 id、序号与原因' })
  firstBroken!: { id: string; seq: number; reason: string } | null;
  @ApiProperty({ example: '审计链完整，共 120 条记录' }) message!: string;
}
