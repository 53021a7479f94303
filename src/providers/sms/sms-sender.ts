import { Logger, OnApplicationShutdown } from '@nestjs/common';
import twilio from 'twilio';
import { maskPhone } from '../../common/logging/mask';
import type { SmsOrigin, SmsSettings } from '../provider-settings';
import { classifySmsError } from './sms-errors';
import type { SmsRequest, SmsResult } from './sms-message';
import { countSegments } from './sms-segments';
import { TwilioHttpClient } from './twilio-http-client';

export type { SmsRequest, SmsResult } from './sms-message';

/** Sends SMS through the twilio SDK, one client per process; every call ends in a result, never a throw. */
export class SmsSender implements OnApplicationShutdown {
  private readonly logger = new Logger(SmsSender.name);

  constructor(
    private readonly client: twilio.Twilio,
    private readonly http: TwilioHttpClient,
    private readonly origin: SmsOrigin,
  ) {}

  static open(settings: SmsSettings): SmsSender {
    const http = new TwilioHttpClient(settings);
    const client = twilio(settings.accountSid, settings.authToken, { httpClient: http });
    return new SmsSender(client, http, settings.sender);
  }

  async send(sms: SmsRequest): Promise<SmsResult> {
    try {
      const message = await this.client.messages.create({
        to: sms.to,
        body: sms.body,
        statusCallback: sms.statusCallback,
        ...this.origin,
      });
      // num_segments can be "0" while a message is only queued or accepted; count the body then.
      const segments = Number(message.numSegments) || countSegments(sms.body).segments;
      return { ok: true, sid: message.sid, segments };
    } catch (err) {
      const failure = classifySmsError(err);
      this.logger.debug(`sms to ${maskPhone(sms.to)} failed: ${failure.outcome} ${failure.code}`);
      return failure;
    }
  }

  /** Sends with at most `concurrency` requests in flight (≈ rate × provider latency); results in input order. */
  async sendBatch(items: readonly SmsRequest[], concurrency: number): Promise<SmsResult[]> {
    const results = new Array<SmsResult>(items.length);
    let next = 0;
    const lane = async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await this.send(items[i]);
      }
    };
    const lanes = Math.max(1, Math.min(concurrency, items.length));
    await Promise.all(Array.from({ length: lanes }, lane));
    return results;
  }

  onApplicationShutdown(): void {
    this.close();
  }

  close(): void {
    this.http.destroy();
  }
}
