import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { Actor } from '../../core/auth/actor';
import { CurrentActor } from '../../core/auth/decorators';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { UuidPipe } from '../../core/validation/pipes';
import {
  CloseoutDto,
  DecisionDto,
  ExtensionDto,
  ReopenDto,
  RequestCloseoutDto,
  RequestExtensionDto,
} from './dto/request.dto';
import { RequestsService } from './requests.service';

const uuid = new UuidPipe();

@ApiTags('延期与销号')
@ApiBearerAuth()
@Controller('api/v1')
export class RequestsController {
  constructor(private readonly requests: RequestsService) {}

  @Get('items/:id/extensions')
  @ApiOperation({ summary: '事项的延期申请' })
  @ApiOkResponse({ type: [ExtensionDto] })
  @ApiErrors(400, 401, 403, 404)
  extensions(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<ExtensionDto[]> {
    return this.requests.listExtensions(actor, id);
  }

  @Post('items/:id/extensions')
  @ApiOperation({ summary: '申请延期（责任人）' })
  @ApiCreatedResponse({ type: ExtensionDto })
  @ApiErrors(400, 401, 403, 404, 409)
  requestExtension(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: RequestExtensionDto,
  ): Promise<ExtensionDto> {
    return this.requests.requestExtension(actor, id, dto);
  }

  @Post('extensions/:id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: '批准延期（责任领导或督查室）；原完成时限保留在记录中' })
  @ApiOkResponse({ type: ExtensionDto })
  @ApiErrors(400, 401, 403, 404, 409)
  approveExtension(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: DecisionDto,
  ): Promise<ExtensionDto> {
    return this.requests.decideExtension(actor, id, true, dto.comment);
  }

  @Post('extensions/:id/refuse')
  @HttpCode(200)
  @ApiOperation({ summary: '不批准延期（须填意见）' })
  @ApiOkResponse({ type: ExtensionDto })
  @ApiErrors(400, 401, 403, 404, 409)
  refuseExtension(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: DecisionDto,
  ): Promise<ExtensionDto> {
    return this.requests.decideExtension(actor, id, false, dto.comment);
  }

  @Get('items/:id/closeouts')
  @ApiOperation({ summary: '事项的销号申请' })
  @ApiOkResponse({ type: [CloseoutDto] })
  @ApiErrors(400, 401, 403, 404)
  closeouts(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<CloseoutDto[]> {
    return this.requests.listCloseouts(actor, id);
  }

  @Post('items/:id/closeouts')
  @ApiOperation({ summary: '申请销号（附佐证材料）' })
  @ApiCreatedResponse({ type: CloseoutDto })
  @ApiErrors(400, 401, 403, 404, 409)
  requestCloseout(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: RequestCloseoutDto,
  ): Promise<CloseoutDto> {
    return this.requests.requestCloseout(actor, id, dto);
  }

  @Post('closeouts/:id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: '准予销号（督查室）' })
  @ApiOkResponse({ type: CloseoutDto })
  @ApiErrors(400, 401, 403, 404, 409)
  approveCloseout(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: DecisionDto,
  ): Promise<CloseoutDto> {
    return this.requests.decideCloseout(actor, id, true, dto.comment);
  }

  @Post('closeouts/:id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: '驳回销号（督查室，须填理由），事项回到推进中' })
  @ApiOkResponse({ type: CloseoutDto })
  @ApiErrors(400, 401, 403, 404, 409)
  rejectCloseout(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: DecisionDto,
  ): Promise<CloseoutDto> {
    return this.requests.decideCloseout(actor, id, false, dto.comment);
  }

  @Post('items/:id/reopen')
  @HttpCode(204)
  @ApiOperation({ summary: '重新打开已销号的事项（回头看，督查室）' })
  @ApiNoContentResponse()
  @ApiErrors(400, 401, 403, 404, 409)
  async reopen(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: ReopenDto,
  ): Promise<void> {
    await this.requests.reopen(actor, id, dto.reason);
  }
}
