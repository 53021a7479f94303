import { DomainError } from '../errors/domain-error';

/** A keyset position in a newest-first list ordered by (time, id), as an opaque `?cursor=`. */
export function encodeTimeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

/** Reads back only what encodeTimeCursor wrote; anything else is a 400 on `cursor`. */
export function decodeTimeCursor(cursor: string, isId: (id: string) => boolean): { at: Date; id: string } {
  try {
    const [time, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const at = new Date(String(time));
    // A date JavaScript reads but PostgreSQL cannot (year -200000) is no cursor.
    const written = !Number.isNaN(at.getTime()) && at.toISOString() === time && /^\d{4}-/.test(time);
    if (typeof id === 'string' && isId(id) && written) return { at, id };
  } catch {
    // fall through to the validation error
  }
  throw DomainError.validation([{ field: 'cursor', reason: 'is not a cursor returned by this endpoint' }]);
}
