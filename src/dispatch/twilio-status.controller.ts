import { Body, Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../access/caller';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { TwilioStatusSignature } from '../providers/sms/twilio-status-signature';
import { CarrierStatusRecorder } from './carrier-status-recorder';
import { STATUS_CALLBACK_PATH } from './sms-batch.sender';

const FINAL: Record<string, 'delivered' | 'failed'> = {
  delivered: 'delivered',
  undelivered: 'failed',
  failed: 'failed',
};

/** Twilio's status callbacks: authenticated by their signature, not by an API key. */
@Controller()
export class TwilioStatusController {
  constructor(
    private readonly signature: TwilioStatusSignature,
    private readonly recorder: CarrierStatusRecorder,
  ) {}

  @Post(STATUS_CALLBACK_PATH)
  @Public()
  @HttpCode(204)
  @ApiExcludeEndpoint()
  async status(
    @Req() req: Request,
    @Headers('x-twilio-signature') signature: string | undefined,
    @Body() form: Record<string, string>,
  ): Promise<void> {
    if (!this.signature.isValid(signature, req.originalUrl, form)) {
      throw new DomainError(ErrorCode.Forbidden, 'The Twilio signature does not match this request.');
    }
    const state = FINAL[form.MessageStatus];
    // Intermediate statuses (queued, sending, sent) add nothing to what the send itself recorded.
    if (state && form.MessageSid)
      await this.recorder.record({ messageId: form.MessageSid, state, errorCode: form.ErrorCode || null });
  }
}
