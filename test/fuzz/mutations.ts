import { gzipSync } from 'node:zlib';
import fc from 'fast-check';

/** Strings that have broken services: control characters, unpaired surrogates, bidi overrides, combining marks. */
const ODD_TEXT = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83d',
  '\u202e',
  '\ufeff',
  '\u0301',
  '🔥',
  'é',
  '\r\n',
  '%00',
  "' OR '1'='1",
  '${jndi:ldap://x}',
  '__proto__',
  'constructor',
  '9999-12-31T23:59:59Z',
  '-200000-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '2026-02-30T10:00:00Z',
];

const BOUNDARY_NUMBERS = [
  0,
  -0,
  -1,
  1,
  0.5,
  2 ** 31,
  2 ** 31 - 1,
  2 ** 53,
  -(2 ** 53),
  1e308,
  -1e308,
  5e-324,
];

const oddString = fc.oneof(
  fc.constantFrom(...ODD_TEXT),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.constantFrom(...ODD_TEXT), { maxLength: 6 }).map((parts) => parts.join('')),
);

/** A value of some size: long strings, long arrays, wide objects, deep nesting. */
const hugeValue = fc.oneof(
  fc.integer({ min: 100, max: 20_000 }).map((n) => 'x'.repeat(n)),
  // Around MAX_BODY_BYTES (1 MB by default): just under it and just over.
  fc.integer({ min: 1_000_000, max: 1_100_000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 10, max: 5_000 }).map((n) => new Array<unknown>(n).fill({})),
  fc.integer({ min: 10, max: 2_000 }).map((n) => Array.from({ length: n }, (_, i) => `r${i}`)),
  fc
    .integer({ min: 10, max: 1_000 })
    .map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]))),
  fc.integer({ min: 5, max: 1_500 }).map((depth) => {
    let value: unknown = 'bottom';
    for (let i = 0; i < depth; i++) value = i % 2 ? { d: value } : [value];
    return value;
  }),
);

/** What a careless or hostile sender puts where a field should be. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 3 },
  { arbitrary: fc.constantFrom(...BOUNDARY_NUMBERS), weight: 2 },
  { arbitrary: oddString, weight: 4 },
  { arbitrary: fc.constantFrom(null, true, false, [], {}), weight: 2 },
  { arbitrary: hugeValue, weight: 1 },
);

type Json = Record<string, unknown>;

/** One change to a valid body at one of its paths (`a.b`, `a[0].b`). */
type Mutation = { kind: 'drop'; path: string } | { kind: 'set'; path: string; value: unknown };

function mutation(paths: readonly string[]): fc.Arbitrary<Mutation> {
  const path = fc.constantFrom(...paths, 'extra', '__proto__', 'constructor');
  return fc.oneof(
    fc.record({ kind: fc.constant('drop' as const), path }),
    fc.record({ kind: fc.constant('set' as const), path, value: hostileValue }),
  );
}

function apply(body: Json, change: Mutation): void {
  const keys = change.path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let target: unknown = body;
  for (const key of keys.slice(0, -1)) {
    if (typeof target !== 'object' || target === null) return;
    target = (target as Json)[key];
  }
  if (typeof target !== 'object' || target === null) return;
  const last = keys[keys.length - 1];
  // defineProperty, so that "__proto__" becomes a key of the body as JSON.parse would make it.
  if (change.kind === 'drop') delete (target as Json)[last];
  else
    Object.defineProperty(target, last, {
      value: change.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
}

/** A valid body with up to three of its fields dropped or replaced; about a third of them stay valid. */
export function mutatedBody(valid: fc.Arbitrary<Json>, paths: readonly string[]): fc.Arbitrary<unknown> {
  return fc
    .tuple(
      valid,
      fc.oneof(
        { arbitrary: fc.constant([]), weight: 1 },
        { arbitrary: fc.array(mutation(paths), { minLength: 1, maxLength: 3 }), weight: 2 },
      ),
    )
    .map(([body, changes]) => {
      const copy = structuredClone(body);
      for (const change of changes) apply(copy, change);
      return copy;
    });
}

/** A request's body and the headers that describe it. */
export interface Payload {
  headers: Record<string, string>;
  body?: Buffer;
}

/** How a body goes on the wire: mostly as it should, sometimes with duplicate keys, cut short, or not JSON at all. */
const jsonText = (value: unknown): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: fc.constant(JSON.stringify(value) ?? 'null'), weight: 12 },
    {
      arbitrary: fc
        .constantFrom('"id"', '"message"', '"channels"', '"phone"', '"__proto__"')
        .map((key) => (JSON.stringify(value) ?? '').replace(/^\{/, `{${key}:"duplicate",`)),
      weight: 1,
    },
    { arbitrary: fc.nat().map((cut) => (JSON.stringify(value) ?? '').slice(0, cut % 200)), weight: 1 },
    {
      arbitrary: fc.constantFrom('', ' ', 'null', '[]', '"x"', '{', '{"a":1}}', '\u0000', 'not json'),
      weight: 1,
    },
  );

const jsonType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 12 },
  {
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'application/json; charset=latin1',
      'application/merge-patch+json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/x-ndjson',
      '',
    ),
    weight: 2,
  },
);

/** Mostly no encoding; sometimes a valid gzip of the body, garbage claiming to be compressed, or an unknown coding. */
const encoding = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 14 },
  {
    arbitrary: fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'gzip, br', 'x-unknown', 'gzip-valid'),
    weight: 1,
  },
);

function encode(text: string, type: string, coding: string | undefined): Payload {
  const headers: Record<string, string> = {};
  if (type) headers['content-type'] = type;
  let body = Buffer.from(text, 'utf8');
  if (coding === 'gzip-valid') {
    headers['content-encoding'] = 'gzip';
    body = gzipSync(body);
  } else if (coding) headers['content-encoding'] = coding;
  return { headers, body };
}

/** A JSON body as a sender might put it on the wire. */
export function jsonPayload(value: fc.Arbitrary<unknown>, type = jsonType): fc.Arbitrary<Payload> {
  return value
    .chain((v) => fc.tuple(jsonText(v), type, encoding))
    .map(([text, contentType, coding]) => encode(text, contentType, coding));
}

/** Any text body with a given media type, the same mix of encodings, and sometimes the wrong media type. */
export function textPayload(text: fc.Arbitrary<string>, mediaType: string): fc.Arbitrary<Payload> {
  const type = fc.oneof(
    { arbitrary: fc.constant(mediaType), weight: 10 },
    { arbitrary: fc.constantFrom('application/json', 'text/plain', ''), weight: 1 },
  );
  return fc.tuple(text, type, encoding).map(([t, contentType, coding]) => encode(t, contentType, coding));
}

/** Path segments: usually valid, sometimes odd, long, or trying to climb out. */
export function pathSegment(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: valid.map(percentEncoded), weight: 6 },
    { arbitrary: oddString.filter((s) => s.length > 0).map(percentEncoded), weight: 2 },
    // Sent as they are: already escaped, or escaped wrongly on purpose.
    {
      arbitrary: fc.constantFrom('..', '%2e%2e', '%00', '%ff', 'a'.repeat(5_000), '%F0%9F%94%A5', '%uD800'),
      weight: 1,
    },
  );
}

/** Every byte of the UTF-8 form but the unreserved ones as %XX; unpaired surrogates go as U+FFFD, as a browser sends them. */
function percentEncoded(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).padStart(2, '0')}`,
    )
    .join('');
}

/** A query string of known and unknown parameters with hostile values. */
export function queryString(known: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
  const pairs = fc.array(
    fc.oneof(
      ...Object.entries(known).map(([key, value]) => fc.tuple(fc.constant(key), value)),
      fc.tuple(fc.constantFrom(...Object.keys(known), 'extra', '__proto__', 'limit[]'), oddString),
    ),
    { maxLength: 4 },
  );
  return pairs.map((list) =>
    list.length ? `?${list.map(([k, v]) => `${percentEncoded(k)}=${percentEncoded(v)}`).join('&')}` : '',
  );
}
