import { Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ApiCaller, Caller, Scopes } from '../access/caller';
import { createValidationPipe } from '../common/validation/validation.pipe';
import { IncidentEventBody } from './cloud-event-body';
import { EventIntake } from './event-intake.service';
import { IncidentEventDto } from './event.dto';
import { EventReceiptDto } from './event-receipt.dto';

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/events')
export class EventsController {
  constructor(private readonly intake: EventIntake) {}

  @Post()
  @HttpCode(202)
  @Scopes('events:write')
  @ApiOperation({
    summary: 'Report an incident event',
    description:
      'Idempotent by event id: a repeat returns the first answer with duplicate: true; the same id with a ' +
      'different body is 409. Each channel follows the latest event naming it; an event whose every part was ' +
      'already superseded by newer events is recorded as stale and notifies nobody. ' +
      'A CloudEvent 1.0 is taken too, in binary mode (ce-* headers, the event as the body) or structured mode ' +
      '(application/cloudevents+json, the event in data); its id is the event id when the event has none.',
  })
  @ApiBody({ type: IncidentEventDto })
  @ApiAcceptedResponse({ type: EventReceiptDto })
  @ApiBadRequestResponse({ description: 'Problem JSON naming each invalid field and why.' })
  @ApiConflictResponse({
    description:
      'This event id was already received with a different body (conflict), or a resolved event names an ' +
      'incident that is not known (incident-unknown).',
  })
  @ApiPayloadTooLargeResponse({ description: 'The body exceeds MAX_BODY_BYTES.' })
  accept(
    @IncidentEventBody(createValidationPipe({ validateCustomDecorators: true })) event: IncidentEventDto,
    @Caller() caller: ApiCaller,
  ): Promise<EventReceiptDto> {
    return this.intake.accept(event, caller);
  }
}
