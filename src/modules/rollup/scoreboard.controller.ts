import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Actor } from '../../core/auth/actor';
import { CurrentActor } from '../../core/auth/decorators';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { UuidPipe } from '../../core/validation/pipes';
import { ScoreboardDto, TrendDto } from './dto/scoreboard.dto';
import { ScoreboardService } from './scoreboard.service';

@ApiTags('考核排名')
@ApiBearerAuth()
@Controller('api/v1/plans')
export class ScoreboardController {
  constructor(private readonly scoreboard: ScoreboardService) {}

  @Get(':id/scoreboard')
  @ApiOperation({ summary: '各单位考核排名（作为牵头单位、作为配合单位），含得分、四分位颜色' })
  @ApiOkResponse({ type: ScoreboardDto })
  @ApiErrors(400, 401, 404)
  get(@CurrentActor() actor: Actor, @Param('id', new UuidPipe()) id: string): Promise<ScoreboardDto> {
    return this.scoreboard.scoreboard(actor, id);
  }

  @Get(':id/trend')
  @ApiOperation({ summary: '各调度周期截止时的快照：计划、部分、重点任务与各单位的完成率、灯色和排名' })
  @ApiOkResponse({ type: TrendDto })
  @ApiErrors(400, 401, 404)
  trend(@CurrentActor() actor: Actor, @Param('id', new UuidPipe()) id: string): Promise<TrendDto> {
    return this.scoreboard.trend(actor, id);
  }
}
