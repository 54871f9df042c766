import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Actor } from '../../core/auth/actor';
import { CurrentActor } from '../../core/auth/decorators';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { MeSummaryDto, ReviewPageDto, ReviewQuery } from './dto/workbench.dto';
import { WorkbenchService } from './workbench.service';

@ApiTags('工作台')
@ApiBearerAuth()
@Controller('api/v1')
export class WorkbenchController {
  constructor(private readonly workbench: WorkbenchService) {}

  @Get('reviews')
  @ApiOperation({
    summary:
      '待我审核：已提交的进度填报、待审批的延期申请、待审核的销号申请，按提交时间从早到晚；无审核权限时 403',
  })
  @ApiOkResponse({ type: ReviewPageDto })
  @ApiErrors(400, 401, 403)
  reviews(@CurrentActor() actor: Actor, @Query() q: ReviewQuery): Promise<ReviewPageDto> {
    return this.workbench.reviews(actor, q);
  }

  @Get('me/summary')
  @ApiOperation({
    summary:
      '工作台计数：待填报、已退回、即将到期、已逾期、待审核、未读消息，及我的事项的灯色（取自已存的汇总数字）',
  })
  @ApiOkResponse({ type: MeSummaryDto })
  @ApiErrors(401)
  summary(@CurrentActor() actor: Actor): Promise<MeSummaryDto> {
    return this.workbench.summary(actor);
  }
}
