import { Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../access/caller';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { StreamedBody } from '../common/http/json-body.reader';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { SmsConsentReplies } from '../directory/sms-consent-replies';
import { INBOUND_MESSAGE_PATH } from '../providers/sms/status-callback';
import { TwilioStatusSignature } from '../providers/sms/twilio-status-signature';
import { emptyTwiml } from '../providers/sms/twiml';
import { readForm } from './form-body';
import { consentKeyword } from './sms-keywords';

/**
 * SMS that customers send to the bank's number, as Twilio posts them (the number's messaging webhook). Signed like
 * the status callbacks. STOP and its Spanish forms withdraw SMS consent, START and ALTA restore it; anything else is
 * ignored. Answered with empty TwiML: Twilio itself confirms STOP and START to the customer on long codes.
 */
@ApiExcludeController()
@Controller()
export class TwilioInboundController {
  private readonly limit: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly signature: TwilioStatusSignature,
    private readonly replies: SmsConsentReplies,
  ) {
    this.limit = config.env.MAX_BODY_BYTES;
  }

  @Post(INBOUND_MESSAGE_PATH)
  @Public()
  @StreamedBody()
  @HttpCode(200)
  async receive(@Req() req: Request, @Res() res: Response): Promise<void> {
    const form = await readForm(req, this.limit);
    const signature = req.headers['x-twilio-signature'];
    if (
      !this.signature.isValid(typeof signature === 'string' ? signature : undefined, req.originalUrl, form)
    ) {
      throw new DomainError(ErrorCode.Forbidden, 'The Twilio signature does not match this request.');
    }
    const asked = consentKeyword(form.Body);
    if (asked && form.From) {
      await this.replies.apply({ phone: form.From, ...asked, messageSid: form.MessageSid ?? '' });
    }
    res.type('text/xml').send(emptyTwiml());
  }
}
