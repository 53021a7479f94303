import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { LOCAL_SIMULATOR } from '../providers/provider-settings';
import { countSegments } from '../providers/sms/sms-segments';
import { FaultSettings, NO_FAULTS } from './faults';
import { HANG, ProviderSimulator, Reply, SimulatorOptions } from './simulator-server';
import { CallbackStats, StatusCallbackPoster } from './status-callbacks';

export interface DeliveryFailure {
  status: 'undelivered' | 'failed';
  /** 30003 unreachable, 30005 unknown number, 30006 landline, 30007 carrier filtered, 30008 unknown. */
  errorCode: number;
}

export interface TwilioSettings extends FaultSettings {
  /** Refused with 21211 (not a valid phone number); a To that is not E.164 is refused the same way. */
  invalidNumbers: string[];
  /** Refused with 21614 (not a mobile number). */
  landlineNumbers: string[];
  /** Refused with 21610 (the recipient replied STOP). */
  unsubscribedNumbers: string[];
  /** Accepted, then reported by status callback as undelivered or failed with an ErrorCode. */
  deliveryFailures: Record<string, DeliveryFailure>;
  /** Delay before the `sent` callback, and again before the final one. */
  callbackDelayMs: number;
}

export interface TwilioSimulatorOptions extends SimulatorOptions<TwilioSettings> {
  accountSid?: string;
  authToken?: string;
  /** Where status callbacks are POSTed instead of the StatusCallback URL's own origin (which is still signed). */
  callbackOrigin?: string;
}

interface TwilioRecord {
  sid: string | null;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  statusCallback: string | null;
  numSegments: number;
}

const DEFAULTS: TwilioSettings = {
  ...NO_FAULTS,
  invalidNumbers: [],
  landlineNumbers: [],
  unsubscribedNumbers: [],
  deliveryFailures: {},
  callbackDelayMs: 10,
};

const E164 = /^\+[1-9]\d{6,14}$/;

/** Twilio's Programmable Messaging `Messages.json`: Basic auth, form fields in, snake_case resources out. */
export class TwilioSimulator extends ProviderSimulator<
  TwilioSettings,
  TwilioRecord,
  { callbacks: CallbackStats }
> {
  readonly accountSid: string;
  private readonly expectedAuth: string;
  private readonly path: string;
  private readonly callbacks: StatusCallbackPoster;
  private invalid = new Set<string>();
  private landline = new Set<string>();
  private unsubscribed = new Set<string>();
  private readonly sidPrefix = randomBytes(8).toString('hex');
  private sent = 0;

  constructor(options: TwilioSimulatorOptions = {}) {
    super(DEFAULTS, options);
    this.accountSid = options.accountSid ?? LOCAL_SIMULATOR.accountSid;
    const authToken = options.authToken ?? LOCAL_SIMULATOR.authToken;
    this.expectedAuth = `Basic ${Buffer.from(`${this.accountSid}:${authToken}`).toString('base64')}`;
    this.path = `/2010-04-01/Accounts/${this.accountSid}/Messages.json`;
    this.callbacks = new StatusCallbackPoster(authToken, options.callbackOrigin);
    this.settingsChanged();
  }

  override reset(): void {
    this.callbacks.clear();
    super.reset();
  }

  override async close(): Promise<void> {
    this.callbacks.close();
    await super.close();
  }

  protected override settingsChanged(): void {
    this.invalid = new Set(this.config.invalidNumbers);
    this.landline = new Set(this.config.landlineNumbers);
    this.unsubscribed = new Set(this.config.unsubscribedNumbers);
  }

  protected extraStats(): { callbacks: CallbackStats } {
    return { callbacks: this.callbacks.counts() };
  }

  protected answer(req: IncomingMessage, body: string): Reply | typeof HANG {
    if (req.method !== 'POST' || req.url !== this.path) {
      return twilioError(404, 20404, `The requested resource ${req.url} was not found`);
    }
    const form = new URLSearchParams(body);
    const record: TwilioRecord = {
      sid: null,
      to: form.get('To') ?? '',
      from: form.get('From'),
      messagingServiceSid: form.get('MessagingServiceSid'),
      body: form.get('Body') ?? '',
      statusCallback: form.get('StatusCallback'),
      numSegments: 0,
    };
    const reply = this.verdict(req, record);
    this.note(reply === HANG ? 0 : reply.status, record);
    return reply;
  }

  private verdict(req: IncomingMessage, record: TwilioRecord): Reply | typeof HANG {
    if (req.headers.authorization !== this.expectedAuth) return twilioError(401, 20003, 'Authenticate');
    const fault = this.fault();
    if (fault === 'hang') return HANG;
    if (fault === 'error') {
      const status = this.config.errorStatus;
      return twilioError(status, status === 503 ? 20503 : 20500, 'Service is unavailable. Please try again');
    }
    if (fault === 'rate-limit') {
      const reply = twilioError(429, 20429, 'Too Many Requests');
      return { ...reply, headers: { 'retry-after': this.config.retryAfterSeconds } };
    }
    const { to } = record;
    if (!to) return twilioError(400, 21604, "A 'To' phone number is required.");
    if (!E164.test(to) || this.invalid.has(to)) {
      return twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    }
    if (!record.from && !record.messagingServiceSid)
      return twilioError(400, 21603, "A 'From' phone number is required.");
    if (!record.body) return twilioError(400, 21602, 'Message body is required.');
    if (this.landline.has(to))
      return twilioError(400, 21614, `'To' number ${to} is not a valid mobile number`);
    if (this.unsubscribed.has(to))
      return twilioError(400, 21610, 'Attempt to send to unsubscribed recipient');
    return this.accept(record);
  }

  private accept(record: TwilioRecord): Reply {
    this.sent += 1;
    record.sid = `SM${this.sidPrefix}${this.sent.toString(16).padStart(16, '0')}`;
    record.numSegments = countSegments(record.body).segments;
    const now = new Date().toUTCString().replace('GMT', '+0000');
    const resource = {
      account_sid: this.accountSid,
      api_version: '2010-04-01',
      body: record.body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: record.from,
      messaging_service_sid: record.messagingServiceSid,
      num_media: '0',
      num_segments: String(record.numSegments),
      price: null,
      price_unit: 'USD',
      sid: record.sid,
      status: record.messagingServiceSid ? 'accepted' : 'queued',
      subresource_uris: { media: `${this.path.replace('.json', '')}/${record.sid}/Media.json` },
      to: record.to,
      uri: `${this.path.replace('.json', '')}/${record.sid}.json`,
    };
    const then = record.statusCallback ? () => this.scheduleCallbacks(record) : undefined;
    return { status: 201, body: JSON.stringify(resource), then };
  }

  /** `sent`, then `delivered` or the configured failure, each callbackDelayMs apart. */
  private scheduleCallbacks(record: TwilioRecord): void {
    const failure = this.config.deliveryFailures[record.to];
    const message: Record<string, string> = {
      AccountSid: this.accountSid,
      ApiVersion: '2010-04-01',
      From: record.from ?? LOCAL_SIMULATOR.from,
      MessageSid: record.sid as string,
      SmsSid: record.sid as string,
      To: record.to,
      ...(record.messagingServiceSid ? { MessagingServiceSid: record.messagingServiceSid } : {}),
    };
    const statuses = [{ status: 'sent' }, failure ?? { status: 'delivered' }].map((s) => ({
      ...message,
      MessageStatus: s.status,
      SmsStatus: s.status,
      ...('errorCode' in s ? { ErrorCode: String(s.errorCode) } : {}),
    }));
    this.callbacks.report(record.statusCallback as string, statuses, this.config.callbackDelayMs);
  }
}

function twilioError(status: number, code: number, message: string): Reply {
  const moreInfo = `https://www.twilio.com/docs/errors/${code}`;
  return { status, body: JSON.stringify({ code, message, more_info: moreInfo, status }) };
}
