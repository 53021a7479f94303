import { randomBytes } from 'node:crypto';
import { Db } from '../../src/database/database.module';
import { AudienceSpec } from '../../src/database/schema';

export interface CustomerTraits {
  id?: string;
  locale?: string;
  timeZone?: string;
  region?: string | null;
  phone?: string | null;
  consent?: { push?: boolean; sms?: boolean };
  /** Device tokens, or how many to make up. */
  devices?: number | string[];
  /** Last use per channel id. */
  channels?: Record<string, Date>;
}

/** A customer as inserted: what tests compute expectations from. */
export interface SeededCustomer {
  id: string;
  locale: string;
  timeZone: string;
  region: string | null;
  phone: string | null;
  consentPush: boolean;
  consentSms: boolean;
  devices: string[];
  channels: Record<string, Date>;
}

const CHUNK = 1_000;
const DAY_MS = 24 * 3600 * 1000;

/** Writes directory rows straight into the database, independent of the directory API. */
export class CustomerFactory {
  constructor(private readonly db: Db) {}

  async newCustomer(traits: CustomerTraits = {}): Promise<SeededCustomer> {
    return (await this.insertMany([traits]))[0];
  }

  async insertMany(list: CustomerTraits[]): Promise<SeededCustomer[]> {
    const customers = list.map(complete);
    for (let i = 0; i < customers.length; i += CHUNK) {
      const chunk = customers.slice(i, i + CHUNK);
      await this.db
        .insertInto('customers')
        .values(
          chunk.map((c) => ({
            id: c.id,
            locale: c.locale,
            time_zone: c.timeZone,
            region: c.region,
            phone: c.phone,
            consent_push: c.consentPush,
            consent_sms: c.consentSms,
            channels: JSON.stringify(
              Object.fromEntries(Object.entries(c.channels).map(([id, at]) => [id, at.getTime()])),
            ),
            has_device: c.devices.length > 0,
          })),
        )
        .execute();
      const devices = chunk.flatMap((c) =>
        c.devices.map((token) => ({
          token,
          customer_id: c.id,
          platform: 'android' as const,
          last_seen: null,
        })),
      );
      if (devices.length) await this.db.insertInto('devices').values(devices).execute();
    }
    return customers;
  }
}

function complete(traits: CustomerTraits): SeededCustomer {
  const id = traits.id ?? `cust-${randomBytes(6).toString('hex')}`;
  const devices =
    typeof traits.devices === 'number' || traits.devices === undefined
      ? Array.from({ length: traits.devices ?? 1 }, (_, i) => `tok-${id}-${i}`)
      : traits.devices;
  return {
    id,
    locale: traits.locale ?? 'es-CO',
    timeZone: traits.timeZone ?? 'America/Bogota',
    region: traits.region === undefined ? 'antioquia' : traits.region,
    phone:
      traits.phone === undefined
        ? `+57300${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`
        : traits.phone,
    consentPush: traits.consent?.push ?? true,
    consentSms: traits.consent?.sms ?? true,
    devices,
    channels: traits.channels ?? {},
  };
}

/** Deterministic pseudo-random numbers in [0, 1): the same seed gives the same directory on every run. */
function randomSequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface DirectoryShape {
  seed: number;
  now: Date;
  idPrefix?: string;
  regions: (string | null)[];
  channelIds: string[];
}

/**
 * Customers with random but reproducible traits. Channel use is a whole number of days plus half a day ago, so
 * no one sits within hours of an activity-window boundary and a test's clock drift cannot change the audience.
 */
export function seededDirectory(count: number, shape: DirectoryShape): CustomerTraits[] {
  const random = randomSequence(shape.seed);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  return Array.from({ length: count }, (_, i) => {
    const id = `${shape.idPrefix ?? 'd-'}${String(i).padStart(6, '0')}`;
    const channels: Record<string, Date> = {};
    for (const channel of shape.channelIds) {
      if (random() < 0.35) {
        const daysAgo = Math.floor(random() * 200) + 0.5;
        channels[channel] = new Date(shape.now.getTime() - daysAgo * DAY_MS);
      }
    }
    const deviceRoll = random();
    return {
      id,
      locale: random() < 0.8 ? 'es-CO' : 'en',
      region: pick(shape.regions),
      phone: random() < 0.75 ? `+57300${String(i).padStart(7, '0')}` : null,
      consent: { push: random() < 0.7, sms: random() < 0.6 },
      devices: deviceRoll < 0.35 ? 0 : deviceRoll < 0.8 ? 1 : 2,
      channels,
    };
  });
}

export function isReachable(c: SeededCustomer): boolean {
  return (c.consentPush && c.devices.length > 0) || (c.consentSms && c.phone !== null);
}

export function reachableByPush(c: SeededCustomer): boolean {
  return c.consentPush && c.devices.length > 0;
}

/** The customers an `affected` spec concerns, reachable or not, computed without SQL. */
export function affectedBy(customers: SeededCustomer[], spec: AudienceSpec): SeededCustomer[] {
  return customers.filter(
    (c) =>
      (spec.regions === null || (c.region !== null && spec.regions.includes(c.region))) &&
      spec.channels.some((w) => usedSince(c, w.id, w.since)),
  );
}

export function usedSince(c: SeededCustomer, channelId: string, since: string): boolean {
  const used = c.channels[channelId];
  return used !== undefined && used.getTime() >= new Date(since).getTime();
}

/** A spec's channels with `since` at `days` before `now`, as intake would freeze it. */
export function windowsAt(now: Date, windows: Record<string, number>): AudienceSpec['channels'] {
  return Object.entries(windows).map(([id, days]) => ({
    id,
    since: new Date(now.getTime() - days * DAY_MS).toISOString(),
  }));
}
