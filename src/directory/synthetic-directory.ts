import { Customer, Device, Platform } from './customer';

/**
 * A deterministic, realistic directory for a Colombian retail bank, used by tests, `npm run seed` and the
 * benchmark. Same `{ seed, now }` → same customers, in the same order, whatever `count` is.
 */
interface SyntheticDirectoryOptions {
  count: number;
  seed?: number;
  /** Reference time for "last used" and "last seen"; pass it for reproducible output. */
  now?: Date;
}

const DAY_SECONDS = 86_400;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

type Weighted<T> = readonly (readonly [T, number])[];

const REGIONS: Weighted<string | undefined> = [
  ['bogota', 0.25],
  ['antioquia', 0.15],
  ['valle', 0.1],
  ['cundinamarca', 0.06],
  ['atlantico', 0.06],
  ['santander', 0.05],
  ['bolivar', 0.04],
  ['norte-de-santander', 0.03],
  ['tolima', 0.03],
  ['risaralda', 0.03],
  ['caldas', 0.025],
  ['boyaca', 0.025],
  ['meta', 0.025],
  ['huila', 0.02],
  ['narino', 0.02],
  ['cordoba', 0.02],
  ['magdalena', 0.02],
  ['cesar', 0.015],
  ['quindio', 0.015],
  ['cauca', 0.015],
  [undefined, 0.02],
];

/** Share of customers who used each channel at some point in the past ~180 days. */
const CHANNEL_USE: Weighted<string> = [
  ['mobile-app', 0.82],
  ['online-banking', 0.45],
  ['card-payments', 0.35],
  ['atm-network', 0.3],
  ['bill-payments', 0.22],
  ['interbank-transfers', 0.2],
  ['qr-payments', 0.12],
  ['call-center', 0.08],
];

const PLATFORM_MIX: Weighted<Platform> = [
  ['android', 0.7],
  ['ios', 0.27],
  ['web', 0.03],
];
const DEVICE_COUNT: Weighted<number> = [
  [0, 0.1],
  [1, 0.76],
  [2, 0.12],
  [3, 0.02],
];
const ABROAD_ZONES = ['America/New_York', 'Europe/Madrid', 'America/Panama', 'America/Mexico_City'];
/** Colombian mobile prefixes where libphonenumber's full metadata accepts every 7-digit subscriber number. */
const MOBILE_PREFIXES = [
  300, 301, 302, 304, 305, 310, 311, 312, 313, 314, 315, 316, 317, 318, 319, 320, 321, 322, 323, 350, 351,
];
const TOKEN_ALPHABET = Buffer.from(
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
  'latin1',
);
/** FCM registration tokens: a 22-character instance id, `:APA91b`, then 134 more base64url characters. */
const TOKEN_CHARS = 22 + 134;

export function* syntheticCustomers(options: SyntheticDirectoryOptions): Generator<Customer> {
  const random = sfc32(options.seed ?? 1);
  const now = (options.now ?? new Date()).getTime();
  const pick = <T>(table: Weighted<T>): T => {
    let r = random();
    for (const [value, weight] of table) if ((r -= weight) < 0) return value;
    return table[table.length - 1][0];
  };
  const days = new Map<number, string>();
  /** Skewed towards recent: most activity is fresh, a tail reaches back `maxDays`. Whole seconds, UTC. */
  const recent = (maxDays: number) => {
    const at = Math.floor(now / 1000 - random() * random() * maxDays * DAY_SECONDS);
    const day = Math.floor(at / DAY_SECONDS);
    const second = at - day * DAY_SECONDS;
    // Date#toISOString dominated the generator's time; only the clock part changes within a day.
    let date = days.get(day);
    if (!date) days.set(day, (date = new Date(day * DAY_SECONDS * 1000).toISOString().slice(0, 11)));
    return `${date}${TWO_DIGITS[(second / 3600) | 0]}:${TWO_DIGITS[((second % 3600) / 60) | 0]}:${TWO_DIGITS[second % 60]}Z`;
  };
  const chars = Buffer.alloc(TOKEN_CHARS + 4);
  const token = () => {
    // Five 6-bit characters per 32-bit draw; tokens are a third of the generator's work.
    for (let i = 0; i < TOKEN_CHARS; i += 5) {
      const bits = random.uint32();
      for (let k = 0; k < 5; k++) chars[i + k] = TOKEN_ALPHABET[(bits >>> (6 * k)) & 63];
    }
    return `${chars.toString('latin1', 0, 22)}:APA91b${chars.toString('latin1', 22, TOKEN_CHARS)}`;
  };

  for (let i = 1; i <= options.count; i++) {
    const locale = random() < 0.85 ? 'es-CO' : 'en';
    const customer: Customer = {
      id: `C${String(i).padStart(7, '0')}`,
      locale,
      timeZone: random() < 0.03 ? ABROAD_ZONES[(random() * ABROAD_ZONES.length) | 0] : 'America/Bogota',
      devices: [],
      consent: { push: random() < 0.92, sms: random() < 0.88 },
      channels: {},
    };
    const region = pick(REGIONS);
    if (region) customer.region = region;
    if (random() < 0.95) {
      const prefix = MOBILE_PREFIXES[(random() * MOBILE_PREFIXES.length) | 0];
      customer.phone = `+57${prefix * 10_000_000 + Math.floor(random() * 10_000_000)}`;
    }
    for (let d = pick(DEVICE_COUNT); d > 0; d--) {
      const device: Device = { token: token(), platform: pick(PLATFORM_MIX), lastSeen: recent(60) };
      customer.devices.push(device);
    }
    for (const [channel, share] of CHANNEL_USE)
      if (random() < share) customer.channels[channel] = recent(180);
    yield customer;
  }
}

interface Random {
  /** Uniform in [0, 1). */
  (): number;
  uint32(): number;
}

/** Small fast PRNG (sfc32) seeded through splitmix32, so nearby seeds give unrelated streams. */
function sfc32(seed: number): Random {
  let state = seed | 0;
  const splitmix = () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const uint32 = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  return Object.assign(() => uint32() / 4294967296, { uint32 });
}
