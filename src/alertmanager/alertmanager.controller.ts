import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiCaller, Caller, Scopes } from '../access/caller';
import { EventReceipt } from '../events/event-intake.service';
import { EventReceiptDto } from '../events/event-receipt.dto';
import { AlertmanagerIntake } from './alertmanager-intake.service';

@ApiTags('integrations')
@ApiBearerAuth()
@Controller('v1/integrations/alertmanager')
export class AlertmanagerController {
  constructor(private readonly intake: AlertmanagerIntake) {}

  @Post()
  @HttpCode(202)
  @Scopes('events:write')
  @ApiOperation({
    summary: 'Prometheus Alertmanager webhook receiver',
    description:
      'Point a webhook_configs receiver here with http_config.authorization set to an API key with ' +
      'events:write. One alert group is one incident; see docs/integrations.md for the labels and annotations read.',
  })
  @ApiBody({ description: "Alertmanager's webhook payload, version 4.", schema: { type: 'object' } })
  @ApiAcceptedResponse({ type: EventReceiptDto })
  @ApiNoContentResponse({
    description: 'No alert of the group carries the channel label: nothing for Aviso.',
  })
  @ApiBadRequestResponse({ description: 'Problem JSON naming each invalid field and why.' })
  async receive(
    @Body() payload: object,
    @Caller() caller: ApiCaller,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EventReceipt | undefined> {
    const receipt = await this.intake.receive(payload, caller);
    if (!receipt) res.status(204);
    return receipt ?? undefined;
  }
}
