import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { Actor } from '../../core/auth/actor';
import { CurrentActor, Roles } from '../../core/auth/decorators';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { UuidPipe } from '../../core/validation/pipes';
import { SetActiveDto } from './dto/unit.dto';
import { CreateUserDto, ListUsersQuery, ResetPasswordDto, UpdateUserDto, UserDto } from './dto/user.dto';
import { UsersService } from './users.service';

const uuid = new UuidPipe();

@ApiTags('人员')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: '本组织的人员' })
  @ApiOkResponse({ type: [UserDto] })
  @ApiErrors(400, 401)
  list(@CurrentActor() actor: Actor, @Query() q: ListUsersQuery): Promise<UserDto[]> {
    return this.users.list(actor, { unitId: q.unitId, includeInactive: q.includeInactive === 'true' });
  }

  @Get(':id')
  @ApiOperation({ summary: '人员详情' })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(400, 401, 404)
  get(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<UserDto> {
    return this.users.get(actor, id);
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: '新建人员（系统管理员）' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiErrors(400, 401, 403, 404, 409)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto): Promise<UserDto> {
    return this.users.create(actor, dto);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: '修改人员信息、角色或所属单位（系统管理员）' })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(400, 401, 403, 404)
  update(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserDto> {
    return this.users.update(actor, id, dto);
  }

  @Post(':id/active')
  @Roles('admin')
  @ApiOperation({ summary: '停用或重新启用人员；停用后不能登录，已有登录立即失效' })
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(400, 401, 403, 404, 409)
  setActive(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: SetActiveDto,
  ): Promise<UserDto> {
    return this.users.setActive(actor, id, dto.active);
  }

  @Post(':id/password')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: '重置密码（系统管理员）；该用户的登录全部失效' })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404)
  async resetPassword(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: ResetPasswordDto,
  ) {
    await this.users.resetPassword(actor, id, dto.password);
  }
}
