import type { FieldError } from '../errors/domain-error';

/**
 * Bounds on a parsed JSON body, checked before any validator walks it, so the work one request causes is bounded
 * by these numbers and not by how much fits under MAX_BODY_BYTES. Each is well above what a valid body of this API
 * holds: an event has about 30 values plus its regions, a customer about 60.
 */
export const JSON_LIMITS = {
  /** Objects and arrays inside each other; a valid body nests 3 deep. */
  depth: 8,
  /** Values of every kind in the whole body. */
  values: 2_000,
  /** Items of one array; the largest array a body has is an event's regions (MAX_REGIONS). */
  items: 500,
  /** Keys of one object. */
  keys: 100,
  /** UTF-16 code units of one string or key; a device token may be 4,096 characters. */
  stringLength: 4_096,
} as const;

/**
 * Why `body` exceeds JSON_LIMITS or holds text PostgreSQL cannot store, as `{field, reason}` pairs (empty when
 * it does neither). Iterative, so no nesting overflows the stack; it visits at most JSON_LIMITS.values values.
 */
export function jsonLimitErrors(body: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: body, path: '', depth: 0 }];
  let values = 0;
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    if (++values > JSON_LIMITS.values) {
      errors.push({ field: '', reason: `must hold at most ${JSON_LIMITS.values} values in all` });
      break;
    }
    if (typeof value === 'string') {
      const reason = textProblem(value);
      if (reason) errors.push({ field: path, reason });
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= JSON_LIMITS.depth) {
      errors.push({
        field: path,
        reason: `must not nest objects and arrays more than ${JSON_LIMITS.depth} deep`,
      });
      continue;
    }
    if (Array.isArray(value)) {
      if (value.length > JSON_LIMITS.items) {
        errors.push({ field: path, reason: `must have at most ${JSON_LIMITS.items} items` });
        continue;
      }
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i], path: `${path}[${i}]`, depth: depth + 1 });
      continue;
    }
    const keys = Object.keys(value);
    if (keys.length > JSON_LIMITS.keys) {
      errors.push({ field: path, reason: `must have at most ${JSON_LIMITS.keys} keys` });
      continue;
    }
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i];
      const field = path ? `${path}.${key}` : key;
      // JSON.parse keeps "__proto__" as a plain key, but class-transformer would drop it without a word.
      const reason = key === '__proto__' ? 'is not an allowed key' : textProblem(key);
      if (reason) errors.push({ field, reason: key === '__proto__' ? reason : `as a key ${reason}` });
      else stack.push({ value: (value as Record<string, unknown>)[key], path: field, depth: depth + 1 });
    }
  }
  return errors;
}

/** PostgreSQL text and jsonb refuse NUL and unpaired surrogates; refused here, they never reach a query. */
function textProblem(text: string): string | undefined {
  if (text.length > JSON_LIMITS.stringLength) {
    return `must be at most ${JSON_LIMITS.stringLength} characters`;
  }
  if (text.includes('\0')) return 'must not contain the NUL character (U+0000)';
  if (!isWellFormed(text)) return 'must not contain unpaired UTF-16 surrogates';
  return undefined;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
