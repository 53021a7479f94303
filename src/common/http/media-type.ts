import type { IncomingHttpHeaders } from 'node:http';

/** The request's media type without its parameters (`text/plain; charset=utf-8` → `text/plain`), lower-cased. */
export function mediaTypeOf(headers: IncomingHttpHeaders): string {
  return (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}
