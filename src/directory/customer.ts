export const PLATFORMS = ['android', 'ios', 'web'] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface Device {
  token: string;
  platform: Platform;
  /** ISO-8601 timestamp. */
  lastSeen?: string;
}

/**
 * A customer as upstream systems (CRM, core banking) send it, and as the directory stores it.
 * After validation `devices`, `consent` and `channels` are always present.
 */
export interface Customer {
  /** The bank's own customer id. */
  id: string;
  locale: string;
  timeZone: string;
  region?: string;
  /** E.164. */
  phone?: string;
  devices: Device[];
  consent: { push: boolean; sms: boolean };
  /** Channel id → when the customer last used it (ISO-8601). */
  channels: Record<string, string>;
}

export interface StoredCustomer extends Customer {
  updatedAt: string;
}

export const CUSTOMER_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const MAX_DEVICES = 10;
export const MAX_TOKEN_LENGTH = 4096;
