import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Actor } from '../../core/auth/actor';
import { CurrentActor, Roles } from '../../core/auth/decorators';
import { ApiErrors } from '../../core/errors/api-errors.decorator';
import { AuditService } from './audit.service';
import { AuditVerifyDto } from './dto/history.dto';

@ApiTags('审计')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('verify')
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: '校验本组织审计记录的哈希链，报告第一处断裂' })
  @ApiOkResponse({ type: AuditVerifyDto })
  @ApiErrors(401, 403)
  verify(@CurrentActor() actor: Actor): Promise<AuditVerifyDto> {
    return this.audit.verify(actor);
  }
}
