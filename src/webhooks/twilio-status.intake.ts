import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { problemFor, writeProblem } from '../common/errors/problem';
import { STATUS_CALLBACK_PATH } from '../providers/sms/status-callback';
import { TwilioStatusSignature } from '../providers/sms/twilio-status-signature';
import { CarrierStatusRecorder } from './carrier-status-recorder';
import { readForm } from './form-body';

const FINAL: Record<string, 'delivered' | 'failed'> = {
  delivered: 'delivered',
  undelivered: 'failed',
  failed: 'failed',
};

/**
 * Twilio's status callbacks, authenticated by their signature rather than an API key. They arrive once or twice per
 * SMS, so at a million recipients they are most of the API's requests: they take a fast lane in front of Express
 * (see FastLaneExpressAdapter), and this reads and checks the form itself.
 */
@Injectable()
export class TwilioStatusIntake {
  private readonly logger = new Logger(TwilioStatusIntake.name);
  private readonly limit: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly signature: TwilioStatusSignature,
    private readonly recorder: CarrierStatusRecorder,
  ) {
    this.limit = config.env.MAX_BODY_BYTES;
  }

  readonly lane = (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = req.url ?? '';
    const query = url.indexOf('?');
    if (req.method !== 'POST' || (query < 0 ? url : url.slice(0, query)) !== STATUS_CALLBACK_PATH)
      return false;
    this.handle(req, res, url).catch((err: unknown) => this.fail(res, err));
    return true;
  };

  private async handle(req: IncomingMessage, res: ServerResponse, url: string): Promise<void> {
    const form = await readForm(req, this.limit);
    const state = FINAL[form.MessageStatus];
    // Intermediate statuses (queued, sending, sent) add nothing to what the send itself recorded: they are answered
    // without checking their signature, which changes nothing whoever sent them, and costs half the lane's CPU.
    if (state && form.MessageSid) {
      const signature = req.headers['x-twilio-signature'];
      if (!this.signature.isValid(typeof signature === 'string' ? signature : undefined, url, form)) {
        throw new DomainError(ErrorCode.Forbidden, 'The Twilio signature does not match this request.');
      }
      await this.recorder
        .record({ messageId: form.MessageSid, state, errorCode: form.ErrorCode || null })
        .catch((err: Error) => {
          this.logger.error(`Could not record a Twilio status report: ${err.message}`);
          throw new DomainError(ErrorCode.Unavailable, 'The report could not be recorded; send it again.');
        });
    }
    res.writeHead(204).end();
  }

  private fail(res: ServerResponse, err: unknown): void {
    if (!(err instanceof DomainError)) {
      this.logger.error(`Status callback failed: ${(err as Error).stack ?? String(err)}`);
      err = new DomainError(ErrorCode.Unavailable, 'The report could not be taken; send it again.');
    }
    writeProblem(res, problemFor(err as DomainError));
  }
}
