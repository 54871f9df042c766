import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Actor } from '../../core/auth/actor';
import { CurrentActor } from '../../core/auth/decorators';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { UuidPipe } from '../../core/validation/pipes';
import { CreateMeetingDto, MeetingDto, MeetingOutcomeInputDto, UpdateMeetingDto } from './dto/meeting.dto';
import { MeetingsService } from './meetings.service';

const uuid = new UuidPipe();

@ApiTags('月调度会')
@ApiBearerAuth()
@Controller('api/v1')
export class MeetingsController {
  constructor(private readonly meetings: MeetingsService) {}

  @Post('cycles/:id/meeting')
  @ApiOperation({ summary: '记录本周期调度会：日期、参会人员、纪要和议程结果；交办事项生成为事项' })
  @ApiCreatedResponse({ type: MeetingDto })
  @ApiErrors(400, 401, 403, 404, 409)
  create(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: CreateMeetingDto,
  ): Promise<MeetingDto> {
    return this.meetings.create(actor, id, dto);
  }

  @Get('cycles/:id/meeting')
  @ApiOperation({ summary: '本周期调度会记录' })
  @ApiOkResponse({ type: MeetingDto })
  @ApiErrors(400, 401, 404)
  ofCycle(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<MeetingDto> {
    return this.meetings.ofCycle(actor, id);
  }

  @Get('meetings/:id')
  @ApiOperation({ summary: '调度会记录' })
  @ApiOkResponse({ type: MeetingDto })
  @ApiErrors(400, 401, 404)
  get(@CurrentActor() actor: Actor, @Param('id', uuid) id: string): Promise<MeetingDto> {
    return this.meetings.get(actor, id);
  }

  @Patch('meetings/:id')
  @ApiOperation({ summary: '修改调度会记录（日期、名称、参会人员、纪要）' })
  @ApiOkResponse({ type: MeetingDto })
  @ApiErrors(400, 401, 403, 404, 409)
  update(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateMeetingDto,
  ): Promise<MeetingDto> {
    return this.meetings.update(actor, id, dto);
  }

  @Post('meetings/:id/outcomes')
  @HttpCode(201)
  @ApiOperation({ summary: '补充议程结果（议定、通报或交办）' })
  @ApiCreatedResponse({ type: MeetingDto })
  @ApiErrors(400, 401, 403, 404, 409)
  addOutcome(
    @CurrentActor() actor: Actor,
    @Param('id', uuid) id: string,
    @Body() dto: MeetingOutcomeInputDto,
  ): Promise<MeetingDto> {
    return this.meetings.addOutcome(actor, id, dto);
  }
}
