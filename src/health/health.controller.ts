import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../access/caller';
import { Readiness, ReadinessReport } from './readiness';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: Readiness) {}

  /** Liveness: the process answers. Nothing else is asked, so a dependency's outage never restarts it. */
  @Get('live')
  @Public()
  @ApiOkResponse({ description: 'The process answers.' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @ApiOkResponse({ description: 'The database answers; Redis is reported, and not required by the API.' })
  @ApiServiceUnavailableResponse({
    description: 'The database does not answer within a second, or stopping.',
  })
  ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessReport> {
    return this.report(res);
  }

  /** The same as /health/ready, for probes configured before it existed. */
  @Get()
  @Public()
  @ApiOkResponse({ description: 'Alias of /health/ready.' })
  check(@Res({ passthrough: true }) res: Response): Promise<ReadinessReport> {
    return this.report(res);
  }

  private async report(res: Response): Promise<ReadinessReport> {
    const report = await this.readiness.check();
    if (report.status !== 'ok') res.status(503);
    return report;
  }
}
