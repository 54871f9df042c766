import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';

import { IsNotBlank, IsOmittable, Label } from '../../../core/validation/decorators';
import { Role, ROLE_ZH, ROLES, SYSADMIN, UserEntity } from '../entities/user.entity';

export class CreateUserDto {
  @ApiProperty({ example: 'xxs.zhufeng2', description: '登录名：字母、数字、点、下划线、连字符，全系统唯一' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{2,39}$/)
  @Label('用户名')
  username!: string;

  @ApiProperty({ example: '张三' })
  @IsString()
  @IsNotBlank()
  @MaxLength(50)
  @Label('姓名')
  name!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  @Label('所属单位')
  unitId!: string;

  @ApiProperty({ enum: ROLES, isArray: true, example: ['member'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(6)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  @Label('角色')
  roles!: Role[];

  @ApiProperty({ minLength: 8, maxLength: 128, example: '初始密码至少8位' })
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  @Label('初始密码')
  password!: string;

  @ApiPropertyOptional({ example: '队员' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Label('职务')
  title?: string;

  @ApiPropertyOptional({ example: '13800000000' })
  @IsOptional()
  @Matches(/^[0-9+\-\s]{5,20}$/)
  @Label('手机号')
  phone?: string;

  @ApiPropertyOptional({ example: 'zhangsan@example.org' })
  @IsOptional()
  @IsEmail()
  @MaxLength(200)
  @Label('邮箱')
  email?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @IsNotBlank()
  @MaxLength(50)
  @Label('姓名')
  name?: string;

  @ApiPropertyOptional({ format: 'uuid', description: '调到另一个单位' })
  @IsOmittable()
  @IsUUID()
  @Label('所属单位')
  unitId?: string;

  @ApiPropertyOptional({ enum: ROLES, isArray: true })
  @IsOmittable()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(6)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  @Label('角色')
  roles?: Role[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Label('职务')
  title?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[0-9+\-\s]{5,20}$/)
  @Label('手机号')
  phone?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail()
  @MaxLength(200)
  @Label('邮箱')
  email?: string;
}

export class ResetPasswordDto {
  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  @Label('新密码')
  password!: string;
}

export class ListUsersQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  @Label('所属单位')
  unitId?: string;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @IsIn(['true', 'false'])
  @Label('包含已停用用户')
  includeInactive?: 'true' | 'false';
}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) title!: string | null;
  @ApiProperty({ nullable: true, type: String }) phone!: string | null;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
  @ApiProperty({ format: 'uuid' }) unitId!: string;
  @ApiProperty({ enum: [...ROLES, SYSADMIN], isArray: true }) roles!: Role[];
  @ApiProperty({ example: ['工作人员'] }) roleNames!: string[];
  @ApiProperty() active!: boolean;
  @ApiProperty() version!: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastLoginAt!: string | null;

  static from(u: UserEntity): UserDto {
    return {
      id: u.id,
      username: u.username,
      name: u.name,
      title: u.title,
      phone: u.phone,
      email: u.email,
      unitId: u.unitId,
      roles: u.roles,
      roleNames: u.roles.map((r) => ROLE_ZH[r]),
      active: u.active,
      version: u.version,
      lastLoginAt: u.lastLoginAt ? u.lastLoginAt.toISOString() : null,
    };
  }
}
