import fc from 'fast-check';
import type { Scope } from '../../src/access/scopes';
import {
  hostileValue,
  jsonPayload,
  mutatedBody,
  pathSegment,
  Payload,
  queryString,
  textPayload,
} from './mutations';

/** What the runner knows while it sends: keys by scope, and ids the API handed out so far. */
export interface FuzzContext {
  keys: Record<Scope, string>;
  noticeIds: string[];
  incidentIds: string[];
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** A request once the runner's context is known (ids of notices created by earlier requests). */
export type PlannedRequest = (context: FuzzContext) => FuzzRequest;

export interface Endpoint {
  name: string;
  request: fc.Arbitrary<PlannedRequest>;
}

const CHANNELS = ['mobile-app', 'online-banking', 'interbank-transfers', 'call-center', 'atm-network'];
const REGIONS = ['antioquia', 'bogota', 'valle-del-cauca'];
const CUSTOMER_IDS = Array.from({ length: 30 }, (_, i) => `FZ-C${i}`);

/** Usually the right key; sometimes none, a malformed one, or one with another scope. */
function credential(scope: Scope | null): fc.Arbitrary<(keys: FuzzContext['keys']) => string | undefined> {
  if (scope === null) return fc.constant(() => undefined);
  return fc.oneof(
    { arbitrary: fc.constant((keys: FuzzContext['keys']) => keys[scope]), weight: 16 },
    { arbitrary: fc.constant((keys: FuzzContext['keys']) => keys.admin), weight: 1 },
    {
      arbitrary: fc
        .constantFrom<Scope>('events:write', 'customers:write', 'incidents:read')
        .map((other) => (keys: FuzzContext['keys']) => keys[other]),
      weight: 1,
    },
    {
      arbitrary: fc
        .constantFrom(undefined, 'Bearer', 'Bearer avk_x.y', 'Basic dXNlcjpwYXNz', 'Bearer \u00ff')
        .map((value) => () => value),
      weight: 1,
    },
  );
}

function request(
  method: string,
  scope: Scope | null,
  path: fc.Arbitrary<(context: FuzzContext) => string>,
  payload: fc.Arbitrary<Payload | undefined> = fc.constant(undefined),
): fc.Arbitrary<PlannedRequest> {
  return fc.tuple(credential(scope), path, payload).map(([key, pathOf, body]) => (context: FuzzContext) => {
    const authorization = key(context.keys);
    const headers = { ...body?.headers, ...(authorization !== undefined && { authorization }) };
    return { method, path: pathOf(context), headers, body: body?.body };
  });
}

const fixed = (path: string) => fc.constant(() => path);

/** A listing's `limit`: in range, out of range, and numbers written in ways the API does not read. */
const pageLimit = fc.oneof(
  fc.integer({ min: -5, max: 300 }).map(String),
  fc.constantFrom('1e3', '0x10', '', '50.5'),
);

/** A public path with an odd query string, as caches and probes send them. */
const withCacheBuster = (paths: fc.Arbitrary<string>) =>
  fc.tuple(paths, queryString({ v: fc.string({ maxLength: 10 }) })).map(
    ([path, query]) =>
      () =>
        `${path}${query}`,
  );

const text = fc.oneof(
  fc.constantFrom('Nuestra app presenta fallas.', 'Our app is failing.'),
  fc.string({ minLength: 1, maxLength: 80 }),
);

const validEvent = fc.record(
  {
    id: fc.uuid().map((id) => `fz-${id}`),
    incidentRef: fc.constantFrom('FZ-1', 'FZ-2', 'FZ-3', 'FZ-4'),
    type: fc.constantFrom('opened', 'updated', 'resolved'),
    severity: fc.constantFrom('critical', 'major', 'minor'),
    channels: fc
      .subarray(CHANNELS, { minLength: 1 })
      .chain((ids) =>
        fc.tuple(
          ...ids.map((id) =>
            fc.constantFrom('down', 'degraded', 'restored').map((status) => ({ id, status })),
          ),
        ),
      ),
    regions: fc.subarray(REGIONS, { minLength: 1 }),
    message: fc.record({ 'es-CO': text, en: text }, { requiredKeys: ['es-CO'] }),
    title: fc.record({ 'es-CO': fc.string({ minLength: 1, maxLength: 100 }) }),
    advice: fc.record({ en: fc.string({ minLength: 1, maxLength: 300 }) }),
    media: fc.subarray(['push', 'sms'], { minLength: 1 }),
    assurances: fc.subarray(['funds-safe', 'no-cyberattack', 'no-data-exposed']),
    nextUpdateAt: fc
      .integer({ min: Date.UTC(2026, 10, 1), max: Date.UTC(2027, 0, 1) })
      .map((ms) => new Date(ms).toISOString()),
    occurredAt: fc
      .integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 10, 30) })
      .map((ms) => new Date(ms).toISOString()),
  },
  { requiredKeys: ['id', 'incidentRef', 'type', 'severity', 'channels', 'occurredAt'] },
);
const EVENT_PATHS = [
  'id',
  'incidentRef',
  'type',
  'severity',
  'channels',
  'channels[0]',
  'channels[0].id',
  'channels[0].status',
  'regions',
  'regions[0]',
  'message',
  'message.es-CO',
  'message.en',
  'title',
  'advice',
  'media',
  'assurances',
  'assurances[0]',
  'nextUpdateAt',
  'occurredAt',
];

const validCustomer = fc.record(
  {
    locale: fc.constantFrom('es-CO', 'en'),
    timeZone: fc.constantFrom('America/Bogota', 'UTC', 'Europe/Madrid'),
    region: fc.constantFrom(...REGIONS),
    phone: fc.integer({ min: 0, max: 99 }).map((n) => `+5730012345${String(n).padStart(2, '0')}`),
    devices: fc.uniqueArray(
      fc.record({
        token: fc.integer({ min: 0, max: 200 }).map((n) => `fz-token-${n}`),
        platform: fc.constantFrom('android', 'ios', 'web'),
      }),
      { maxLength: 3, selector: (device) => device.token },
    ),
    consent: fc.record({ push: fc.boolean(), sms: fc.boolean() }),
    channels: fc
      .subarray(CHANNELS)
      .map((ids) => Object.fromEntries(ids.map((id) => [id, '2026-11-20T12:00:00Z']))),
  },
  { requiredKeys: ['locale'] },
);
const CUSTOMER_PATHS = [
  'locale',
  'timeZone',
  'region',
  'phone',
  'devices',
  'devices[0]',
  'devices[0].token',
  'devices[0].platform',
  'devices[0].lastSeen',
  'consent',
  'consent.push',
  'channels',
  'channels.mobile-app',
  'id',
];

const customerId = pathSegment(fc.constantFrom(...CUSTOMER_IDS));

/** An id the API handed out earlier (when there is one), a random uuid, or something odd. */
function knownId(pool: (context: FuzzContext) => string[]): fc.Arbitrary<(context: FuzzContext) => string> {
  return fc.tuple(fc.nat(), pathSegment(fc.uuid())).map(([pick, other]) => (context: FuzzContext) => {
    const ids = pool(context);
    return pick % 3 !== 0 && ids.length ? ids[pick % ids.length] : other;
  });
}

const cursor = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(
        '2026-11-25T10:00:00.000Z',
        '-200000-01-01T00:00:00Z',
        '+275760-09-13T00:00:00.000Z',
        'x',
      ),
      fc.uuid(),
    )
    .map((pair) => Buffer.from(JSON.stringify(pair)).toString('base64url')),
  fc
    .jsonValue({ maxDepth: 2 })
    .map((value) => Buffer.from(JSON.stringify(value) ?? '').toString('base64url')),
  fc.string({ maxLength: 60 }),
);

const ndjson = fc
  .array(
    fc.oneof(
      {
        arbitrary: fc
          .tuple(fc.constantFrom(...CUSTOMER_IDS), mutatedBody(validCustomer, CUSTOMER_PATHS))
          .map(
            ([id, body]) =>
              JSON.stringify(
                typeof body === 'object' && body !== null && !Array.isArray(body) ? { id, ...body } : body,
              ) ?? '',
          ),
        weight: 8,
      },
      { arbitrary: fc.constantFrom('', '{', 'null', '[]', '{"id":"\\u0000"}', 'x'.repeat(3_000)), weight: 1 },
    ),
    { minLength: 1, maxLength: 12 },
  )
  .map((lines) => lines.join('\n'));

const statusForm = fc
  .record(
    {
      MessageSid: fc.oneof(
        fc.stringMatching(/^[0-9a-f]{32}$/).map((hex) => `SM${hex}`),
        fc.string({ maxLength: 40 }),
      ),
      MessageStatus: fc.oneof(
        fc.constantFrom('delivered', 'undelivered', 'failed', 'sent', 'queued'),
        fc.string({ maxLength: 20 }),
      ),
      ErrorCode: fc.constantFrom('30003', '30007', '', 'x'),
    },
    { requiredKeys: [] },
  )
  .map((form) => new URLSearchParams(form).toString());

const signature = fc.option(fc.base64String({ maxLength: 44 }), { nil: undefined });

/** Every endpoint the API serves, each with its requests: valid ones mutated, on the wire as senders get it wrong. */
export const ENDPOINTS: Endpoint[] = [
  {
    name: 'POST /v1/events',
    request: request(
      'POST',
      'events:write',
      fixed('/v1/events'),
      jsonPayload(mutatedBody(validEvent, EVENT_PATHS)),
    ),
  },
  {
    name: 'POST /v1/audience/preview',
    request: request(
      'POST',
      'incidents:read',
      fixed('/v1/audience/preview'),
      jsonPayload(mutatedBody(validEvent, EVENT_PATHS)),
    ),
  },
  {
    name: 'GET /v1/incidents',
    request: request(
      'GET',
      'incidents:read',
      queryString({
        limit: pageLimit,
        status: fc.constantFrom('open', 'resolved', 'closed'),
        cursor,
      }).map((query) => () => `/v1/incidents${query}`),
    ),
  },
  {
    name: 'GET /v1/incidents/{id}',
    request: request(
      'GET',
      'incidents:read',
      knownId((c) => c.incidentIds).map((id) => (c) => `/v1/incidents/${id(c)}`),
    ),
  },
  {
    name: 'GET /v1/notices/{id}',
    request: request(
      'GET',
      'incidents:read',
      knownId((c) => c.noticeIds).map((id) => (c) => `/v1/notices/${id(c)}`),
    ),
  },
  {
    name: 'GET /v1/notices',
    request: request(
      'GET',
      'incidents:read',
      queryString({
        limit: pageLimit,
        state: fc.constantFrom('awaiting-approval', 'sending', 'rejected', 'pending', ''),
      }).map((query) => () => `/v1/notices${query}`),
    ),
  },
  ...(['approve', 'reject'] as const).map((decision) => ({
    name: `POST /v1/notices/{id}/${decision}`,
    request: request(
      'POST',
      'notices:approve',
      knownId((c) => c.noticeIds).map((id) => (c) => `/v1/notices/${id(c)}/${decision}`),
      fc.option(jsonPayload(hostileValue), { nil: undefined }),
    ),
  })),
  {
    name: 'POST /v1/notices/{id}/cancel',
    request: request(
      'POST',
      'events:write',
      knownId((c) => c.noticeIds).map((id) => (c) => `/v1/notices/${id(c)}/cancel`),
      fc.option(jsonPayload(hostileValue), { nil: undefined }),
    ),
  },
  {
    name: 'POST /v1/notices/{id}/retry-failed',
    request: request(
      'POST',
      'events:write',
      knownId((c) => c.noticeIds).map((id) => (c) => `/v1/notices/${id(c)}/retry-failed`),
      fc.option(jsonPayload(hostileValue), { nil: undefined }),
    ),
  },
  {
    name: 'PUT /v1/customers/{id}',
    request: request(
      'PUT',
      'customers:write',
      customerId.map((id) => () => `/v1/customers/${id}`),
      jsonPayload(mutatedBody(validCustomer, CUSTOMER_PATHS)),
    ),
  },
  {
    name: 'DELETE /v1/customers/{id}',
    request: request(
      'DELETE',
      'customers:write',
      customerId.map((id) => () => `/v1/customers/${id}`),
    ),
  },
  {
    name: 'POST /v1/customers/import',
    request: request(
      'POST',
      'customers:write',
      fixed('/v1/customers/import'),
      textPayload(ndjson, 'application/x-ndjson'),
    ),
  },
  {
    name: 'POST /v1/providers/twilio/status',
    request: fc
      .tuple(
        request(
          'POST',
          null,
          fixed('/v1/providers/twilio/status'),
          textPayload(statusForm, 'application/x-www-form-urlencoded'),
        ),
        signature,
      )
      .map(([planned, sig]) => (context: FuzzContext) => {
        const req = planned(context);
        if (sig !== undefined) req.headers['x-twilio-signature'] = sig;
        return req;
      }),
  },
  {
    name: 'GET /v1/audit',
    request: request(
      'GET',
      'audit:read',
      queryString({
        from: fc.constantFrom('2026-11-01T00:00:00Z', '9999-12-31T23:59:59Z', '-200000-01-01T00:00:00Z', 'x'),
        to: fc.constantFrom('2027-01-01T00:00:00Z', '2026-02-30T10:00:00Z', ''),
        actor: fc.string({ maxLength: 20 }),
        action: fc.constantFrom('event.accept', 'customer.upsert', 'customer.delete'),
        limit: fc.integer({ min: -5, max: 600 }).map(String),
        cursor,
      }).map((query) => () => `/v1/audit${query}`),
    ),
  },
  {
    name: 'GET /v1/incidents/{id}/evidence',
    request: request(
      'GET',
      'audit:read',
      fc
        .tuple(
          fc.oneof(
            knownId((c) => c.incidentIds),
            pathSegment(fc.constantFrom('FZ-1', 'FZ-2', 'FZ-9')).map((ref) => () => ref),
          ),
          queryString({ format: fc.constantFrom('ndjson', 'csv', 'xml', '') }),
        )
        .map(
          ([id, query]) =>
            (c: FuzzContext) =>
              `/v1/incidents/${id(c)}/evidence${query}`,
        ),
    ),
  },
  {
    name: 'GET /status, /status/{locale}, /status.json',
    request: request(
      'GET',
      null,
      withCacheBuster(
        fc.oneof(
          fc.constantFrom('/status', '/status.json', '/status/es-CO/', '/status/en/', '/status/en'),
          pathSegment(fc.constantFrom('es-CO', 'en', 'fr', '..')).map((locale) => `/status/${locale}/`),
        ),
      ),
    ),
  },
  {
    name: 'POST /v1/integrations/alertmanager',
    request: request(
      'POST',
      'events:write',
      fixed('/v1/integrations/alertmanager'),
      jsonPayload(hostileValue),
    ),
  },
  {
    name: 'POST /v1/providers/twilio/inbound',
    request: request(
      'POST',
      null,
      fixed('/v1/providers/twilio/inbound'),
      textPayload(
        fc
          .record({
            From: fc.constantFrom('+573001234567', 'x'),
            Body: fc.oneof(fc.constantFrom('STOP', 'START'), fc.string()),
          })
          .map((form) => new URLSearchParams(form).toString()),
        'application/x-www-form-urlencoded',
      ),
    ),
  },
  {
    name: 'other methods on API paths',
    request: fc
      .tuple(
        fc.constantFrom('PATCH', 'OPTIONS', 'TRACE', 'PUT', 'DELETE', 'HEAD', 'PROPFIND'),
        fc.constantFrom(
          '/v1/events',
          '/v1/incidents',
          '/v1/audience/preview',
          '/v1/customers/import',
          '/health',
        ),
      )
      .chain(([method, path]) =>
        request(method, 'admin', fixed(path), fc.option(jsonPayload(hostileValue), { nil: undefined })),
      ),
  },
  {
    name: 'GET /health',
    request: request(
      'GET',
      null,
      queryString({ verbose: fc.string({ maxLength: 10 }) }).map((q) => () => `/health${q}`),
    ),
  },
  {
    name: 'GET /health/live, /health/ready',
    request: request('GET', null, withCacheBuster(fc.constantFrom('/health/live', '/health/ready'))),
  },
  {
    name: 'GET /metrics',
    request: request(
      'GET',
      null,
      queryString({ name: fc.string({ maxLength: 10 }) }).map((q) => () => `/metrics${q}`),
    ),
  },
];
