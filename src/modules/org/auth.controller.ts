import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { AnyAccount, Public } from '../../core/auth/decorators';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { AuthedRequest } from './auth.guard';
import { AuthService } from './auth.service';
import { LoginDto, LogoutDto, MeDto, RefreshDto, TokenPairDto } from './dto/auth.dto';

@ApiTags('认证')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: '登录，获取访问令牌和刷新令牌' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiErrors(400, 401, 429)
  login(@Body() dto: LoginDto, @Req() req: AuthedRequest): Promise<TokenPairDto> {
    return this.auth.login(dto.username, dto.password, req.ip);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ summary: '用刷新令牌换发新令牌（刷新令牌只能使用一次）' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiErrors(400, 401)
  refresh(@Body() dto: RefreshDto): Promise<TokenPairDto> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @AnyAccount()
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: '注销本次登录（访问令牌与刷新令牌立即失效）' })
  @ApiNoContentResponse()
  @ApiErrors(400, 401)
  async logout(@Body() dto: LogoutDto, @Req() req: AuthedRequest): Promise<void> {
    await this.auth.logout(req.actor!, dto.refreshToken);
  }

  @Get('me')
  @AnyAccount()
  @ApiBearerAuth()
  @ApiOperation({ summary: '当前用户、单位与组织' })
  @ApiOkResponse({ type: MeDto })
  @ApiErrors(401)
  me(@Req() req: AuthedRequest): MeDto {
    if (!req.sessionUser) throw new Error('GET /auth/me reached without the auth guard');
    return this.auth.me(req.sessionUser);
  }
}
