import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Actor } from '../../core/auth/actor';
import { CurrentActor } from '../../core/auth/decorators';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { DispatchPackDto } from './dto/dispatch-pack.dto';
import { DispatchService } from './dispatch.service';

@ApiTags('月调度会')
@ApiBearerAuth()
@Controller('api/v1')
export class DispatchController {
  constructor(private readonly dispatch: DispatchService) {}

  @Get('cycles/:id/dispatch-pack')
  @ApiOperation({ summary: '月调度会材料：截至周期截止日（或今天）的汇总、逾期事项与通报名单' })
  @ApiOkResponse({ type: DispatchPackDto })
  @ApiErrors(400, 401, 404)
  pack(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string): Promise<DispatchPackDto> {
    return this.dispatch.pack(actor, id);
  }
}
