import { FieldError } from '../common/errors/domain-error';
import { ChannelCatalog, channelIds } from '../config/channel-catalog';
import {
  Customer,
  CUSTOMER_ID_PATTERN,
  Device,
  MAX_DEVICES,
  MAX_TOKEN_LENGTH,
  Platform,
  PLATFORMS,
} from './customer';
import { ianaTimeZone, isoTimestamp, isSlug } from './field-formats';
import { isValidE164 } from './phone-numbers';

export type CustomerCheck =
  { customer: Customer; errors?: never } | { customer?: never; errors: FieldError[] };

const DEFAULT_TIME_ZONE = 'America/Bogota';

const CUSTOMER_FIELDS = new Set([
  'id',
  'locale',
  'timeZone',
  'region',
  'phone',
  'devices',
  'consent',
  'channels',
]);
const DEVICE_FIELDS = new Set(['token', 'platform', 'lastSeen']);
const CONSENT_FIELDS = new Set(['push', 'sms']);
const E164 = /^\+[1-9]\d{6,14}$/;
// Printable ASCII: FCM, APNs and web push tokens fit, and nothing PostgreSQL text or jsonb refuses (NUL) gets in.
const TOKEN = /^[\x21-\x7e]+$/;

const REASON = {
  required: 'is required',
  unknownField: 'is not a known field',
  object: 'must be an object',
  id: 'must be 1-64 characters of A-Z, a-z, 0-9, ".", "_" or "-"',
  timeZone: `must be an IANA time zone, e.g. ${DEFAULT_TIME_ZONE}`,
  region: 'must be a lowercase slug of letters, digits and hyphens (at most 64), e.g. antioquia',
  phoneFormat: 'must be an E.164 number, e.g. +573001234567',
  phoneInvalid: 'is not a valid phone number',
  devices: `must be an array of at most ${MAX_DEVICES} devices`,
  token: `must be 1-${MAX_TOKEN_LENGTH} printable ASCII characters without spaces`,
  duplicateToken: 'appears on more than one device of this customer',
  platform: `must be one of: ${PLATFORMS.join(', ')}`,
  timestamp: 'must be an ISO-8601 date-time with a time zone, e.g. 2026-11-20T12:00:00Z',
  boolean: 'must be true or false',
};

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function absent(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

/**
 * The one validation of the customer contract, shared by PUT and by every import line so that both report
 * the same `{field, reason}` errors. Hand-written rather than class-validator: an import checks tens of
 * thousands of customers per second.
 */
export class CustomerValidator {
  private readonly locales: ReadonlySet<string>;
  private readonly channels: ReadonlySet<string>;
  private readonly localeReason: string;
  private readonly channelReason: string;

  constructor(private readonly catalog: ChannelCatalog) {
    this.locales = new Set(catalog.locales);
    this.channels = new Set(channelIds(catalog));
    this.localeReason = `must be one of: ${catalog.locales.join(', ')}`;
    this.channelReason = `is not a known channel; valid channels: ${channelIds(catalog).join(', ')}`;
  }

  /** With `pathId` (PUT), the id comes from the URL and a body id, if any, must repeat it. */
  check(input: unknown, pathId?: string): CustomerCheck {
    if (!isObject(input)) return { errors: [{ field: '', reason: 'must be a JSON object' }] };
    const errors: FieldError[] = [];
    rejectUnknown(input, CUSTOMER_FIELDS, '', errors);
    if (pathId !== undefined && !absent(input.id) && input.id !== pathId) {
      errors.push({ field: 'id', reason: 'must match the id in the path' });
    }
    const id = pathId ?? input.id;
    if (absent(id)) errors.push({ field: 'id', reason: REASON.required });
    else if (typeof id !== 'string' || !CUSTOMER_ID_PATTERN.test(id))
      errors.push({ field: 'id', reason: REASON.id });

    const locale = absent(input.locale) ? this.catalog.defaultLocale : input.locale;
    if (typeof locale !== 'string' || !this.locales.has(locale)) {
      errors.push({ field: 'locale', reason: this.localeReason });
    }
    const timeZone = absent(input.timeZone) ? DEFAULT_TIME_ZONE : ianaTimeZone(input.timeZone);
    if (!timeZone) errors.push({ field: 'timeZone', reason: REASON.timeZone });
    if (!absent(input.region) && !isSlug(input.region))
      errors.push({ field: 'region', reason: REASON.region });
    checkPhone(input.phone, errors);
    const devices = checkDevices(input.devices, errors);
    const consent = checkConsent(input.consent, errors);
    const channels = this.checkChannels(input.channels, errors);
    if (errors.length) return { errors };

    const customer: Customer = {
      id: id as string,
      locale: locale as string,
      timeZone: timeZone as string,
      devices,
      consent,
      channels,
    };
    if (!absent(input.region)) customer.region = input.region as string;
    if (!absent(input.phone)) customer.phone = input.phone as string;
    return { customer };
  }

  private checkChannels(value: unknown, errors: FieldError[]): Record<string, string> {
    const channels: Record<string, string> = {};
    if (absent(value)) return channels;
    if (!isObject(value)) {
      errors.push({ field: 'channels', reason: 'must be an object of channel id to ISO-8601 date-time' });
      return channels;
    }
    for (const key in value) {
      const field = `channels.${key}`;
      const at = isoTimestamp(value[key]);
      if (!this.channels.has(key)) errors.push({ field, reason: this.channelReason });
      else if (!at) errors.push({ field, reason: REASON.timestamp });
      else channels[key] = at;
    }
    return channels;
  }
}

function rejectUnknown(
  value: Json,
  allowed: ReadonlySet<string>,
  prefix: string,
  errors: FieldError[],
): void {
  for (const key in value)
    if (!allowed.has(key)) errors.push({ field: prefix + key, reason: REASON.unknownField });
}

function checkPhone(phone: unknown, errors: FieldError[]): void {
  if (absent(phone)) return;
  if (typeof phone !== 'string' || !E164.test(phone))
    errors.push({ field: 'phone', reason: REASON.phoneFormat });
  else if (!isValidE164(phone)) errors.push({ field: 'phone', reason: REASON.phoneInvalid });
}

function checkDevices(value: unknown, errors: FieldError[]): Device[] {
  if (absent(value)) return [];
  if (!Array.isArray(value) || value.length > MAX_DEVICES) {
    errors.push({ field: 'devices', reason: REASON.devices });
    return [];
  }
  const devices: Device[] = [];
  const tokens = new Set<string>();
  for (let i = 0; i < value.length; i++) {
    const path = `devices[${i}]`;
    const item: unknown = value[i];
    if (!isObject(item)) {
      errors.push({ field: path, reason: REASON.object });
      continue;
    }
    rejectUnknown(item, DEVICE_FIELDS, `${path}.`, errors);
    const { token, platform, lastSeen } = item;
    if (absent(token)) errors.push({ field: `${path}.token`, reason: REASON.required });
    else if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !TOKEN.test(token)) {
      errors.push({ field: `${path}.token`, reason: REASON.token });
    } else if (tokens.has(token)) errors.push({ field: `${path}.token`, reason: REASON.duplicateToken });
    if (!PLATFORMS.includes(platform as Platform))
      errors.push({ field: `${path}.platform`, reason: REASON.platform });
    const seen = absent(lastSeen) ? undefined : isoTimestamp(lastSeen);
    if (!absent(lastSeen) && !seen) errors.push({ field: `${path}.lastSeen`, reason: REASON.timestamp });
    tokens.add(token as string);
    const device: Device = { token: token as string, platform: platform as Platform };
    if (seen) device.lastSeen = seen;
    devices.push(device);
  }
  return devices;
}

function checkConsent(value: unknown, errors: FieldError[]): Customer['consent'] {
  const consent = { push: false, sms: false };
  if (absent(value)) return consent;
  if (!isObject(value)) {
    errors.push({ field: 'consent', reason: REASON.object });
    return consent;
  }
  rejectUnknown(value, CONSENT_FIELDS, 'consent.', errors);
  for (const key of CONSENT_FIELDS) {
    const given = value[key];
    if (absent(given)) continue;
    if (typeof given === 'boolean') consent[key as keyof typeof consent] = given;
    else errors.push({ field: `consent.${key}`, reason: REASON.boolean });
  }
  return consent;
}
