import { Injectable, Logger } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { problemFor, writeProblem } from '../common/errors/problem';
import { TwilioStatusSignature } from '../providers/sms/twilio-status-signature';
import { CarrierStatusRecorder } from './carrier-status-recorder';
import { STATUS_CALLBACK_PATH } from './sms-batch.sender';

const FINAL: Record<string, 'delivered' | 'failed'> = {
  delivered: 'delivered',
  undelivered: 'failed',
  failed: 'failed',
};

/**
 * Twilio's status callbacks, authenticated by their signature rather than an API key. They arrive once or twice per
 * SMS, so at a million recipients they are most of the API's requests: the handler sits in front of Nest's router
 * (no route matching, guards, pipes or request log line) and reads the form the body parser already decoded.
 */
@Injectable()
export class TwilioStatusIntake {
  private readonly logger = new Logger(TwilioStatusIntake.name);

  constructor(
    private readonly signature: TwilioStatusSignature,
    private readonly recorder: CarrierStatusRecorder,
  ) {}

  readonly handler: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || req.path !== STATUS_CALLBACK_PATH) return next();
    void this.handle(req, res);
  };

  private async handle(req: Request, res: Response): Promise<void> {
    const form = (req.body ?? {}) as Record<string, string>;
    if (!this.signature.isValid(req.header('x-twilio-signature'), req.originalUrl, form)) {
      const forged = new DomainError(
        ErrorCode.Forbidden,
        'The Twilio signature does not match this request.',
      );
      return writeProblem(res, problemFor(forged));
    }
    const state = FINAL[form.MessageStatus];
    try {
      // Intermediate statuses (queued, sending, sent) add nothing to what the send itself recorded.
      if (state && form.MessageSid)
        await this.recorder.record({ messageId: form.MessageSid, state, errorCode: form.ErrorCode || null });
      res.status(204).end();
    } catch (err) {
      this.logger.error(`Could not record a Twilio status report: ${(err as Error).message}`);
      const failed = new DomainError(
        ErrorCode.Unavailable,
        'The report could not be recorded; send it again.',
      );
      writeProblem(res, problemFor(failed));
    }
  }
}
