import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

import { IsNotBlank, IsOmittable, Label } from '../../../core/validation/decorators';
import { UNIT_KINDS, UNIT_KIND_ZH, UnitEntity, UnitKind } from '../entities/unit.entity';

export class CreateUnitDto {
  @ApiProperty({ example: '竹峰综合执法中队' })
  @IsString()
  @IsNotBlank()
  @MaxLength(100)
  @Label('单位名称')
  name!: string;

  @ApiProperty({ enum: UNIT_KINDS, example: 'squad' })
  @IsIn(UNIT_KINDS)
  @Label('单位类型')
  kind!: UnitKind;

  @ApiPropertyOptional({
    description: '组织内唯一的编码（小写字母、数字、连字符）；不填则自动生成',
    example: 'zhufeng-squad',
  })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]{0,39}$/)
  @Label('单位编码')
  code?: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: '上级单位；不填为顶级单位' })
  @IsOptional()
  @IsUUID()
  @Label('上级单位')
  parentId?: string;

  @ApiPropertyOptional({ example: 10 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100000)
  @Label('排序号')
  sortOrder?: number;
}

export class UpdateUnitDto {
  @ApiPropertyOptional({ description: '改名' })
  @IsOmittable()
  @IsString()
  @IsNotBlank()
  @MaxLength(100)
  @Label('单位名称')
  name?: string;

  @ApiPropertyOptional({ enum: UNIT_KINDS })
  @IsOmittable()
  @IsIn(UNIT_KINDS)
  @Label('单位类型')
  kind?: UnitKind;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: '移动到新的上级单位；null 表示移为顶级单位',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUUID()
  @Label('上级单位')
  parentId?: string | null;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(100000)
  @Label('排序号')
  sortOrder?: number;
}

export class ListUnitsQuery {
  @ApiPropertyOptional({ description: '包含已停用单位', type: Boolean })
  @IsOptional()
  @IsIn(['true', 'false'])
  @Label('包含已停用单位')
  includeInactive?: 'true' | 'false';
}

export class UnitDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: UNIT_KINDS }) kind!: UnitKind;
  @ApiProperty({ example: '中队' }) kindName!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) parentId!: string | null;
  @ApiProperty({ description: '层级，顶级为 0' }) depth!: number;
  @ApiProperty() sortOrder!: number;
  @ApiProperty() active!: boolean;
  @ApiProperty() version!: number;

  static from(u: UnitEntity): UnitDto {
    return {
      id: u.id,
      code: u.code,
      name: u.name,
      kind: u.kind,
      kindName: UNIT_KIND_ZH[u.kind],
      parentId: u.parentId,
      depth: u.path.split('/').filter(Boolean).length - 1,
      sortOrder: u.sortOrder,
      active: u.active,
      version: u.version,
    };
  }
}

export class SetActiveDto {
  @ApiProperty({ description: 'false 停用，true 重新启用' })
  @IsBoolean()
  @Label('启用状态')
  active!: boolean;
}
