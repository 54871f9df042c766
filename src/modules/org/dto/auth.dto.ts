import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

import { IsNotBlank, Label } from '../../../core/validation/decorators';
import { Role, ROLES, SYSADMIN } from '../entities/user.entity';

export class LoginDto {
  @ApiProperty({ example: 'xxs.admin' })
  @IsString()
  @IsNotBlank()
  @MaxLength(64)
  @Label('用户名')
  username!: string;

  @ApiProperty({ example: 'duban-demo-2022' })
  @IsString()
  // Not @IsNotBlank: a password of spaces is a password (only its length is ruled at creation).
  @MinLength(1)
  @MaxLength(128)
  @Label('密码')
  password!: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @IsNotBlank()
  @MaxLength(200)
  @Label('刷新令牌')
  refreshToken!: string;
}

export class LogoutDto {
  @ApiPropertyOptional({ description: '要注销的刷新令牌；不填则注销本次登录' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Label('刷新令牌')
  refreshToken?: string;
}

export class TokenPairDto {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ example: 'Bearer' }) tokenType!: string;
  @ApiProperty({ description: '访问令牌有效秒数', example: 900 }) expiresIn!: number;
  @ApiProperty({ description: '刷新令牌：只能使用一次，使用后换发新的' }) refreshToken!: string;
  @ApiProperty({ format: 'date-time' }) refreshExpiresAt!: string;
}

export class MeUnitDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() kind!: string;
}

export class MeOrganizationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
}

export class MeDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() username!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) title!: string | null;
  @ApiProperty({ enum: [...ROLES, SYSADMIN], isArray: true }) roles!: Role[];
  @ApiProperty({ type: MeUnitDto }) unit!: MeUnitDto;
  @ApiProperty({ type: MeOrganizationDto }) organization!: MeOrganizationDto;
}
