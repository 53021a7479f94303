import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import twilio from 'twilio';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { resolveSmsSettings } from '../provider-settings';

/**
 * Checks `X-Twilio-Signature` on Twilio's requests: status callbacks and inbound messages. Twilio signs the URL it was given (our PUBLIC_BASE_URL), not the
 * address the request reached us on, so the URL is rebuilt from the public base and the request's path.
 */
@Injectable()
export class TwilioStatusSignature {
  private readonly authToken: string | null;
  private readonly publicBase: URL;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.authToken = resolveSmsSettings(config.env)?.authToken ?? null;
    this.publicBase = new URL(config.env.PUBLIC_BASE_URL);
  }

  isValid(signature: string | undefined, pathAndQuery: string, params: Record<string, string>): boolean {
    if (!this.authToken || !signature) return false;
    const url = new URL(pathAndQuery, this.publicBase).toString();
    // Twilio signs the URL exactly as we gave it, so one HMAC settles a genuine callback; validateRequest tries up to
    // six spellings of the URL (port, escaping) and is kept for the others, which are rare.
    const expected = Buffer.from(twilio.getExpectedTwilioSignature(this.authToken, url, params));
    const given = Buffer.from(signature);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
    return twilio.validateRequest(this.authToken, signature, url, params);
  }
}
