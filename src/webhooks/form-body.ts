import type { IncomingMessage } from 'node:http';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { mediaTypeOf } from '../common/http/media-type';
import { readTextBody } from '../common/http/text-body';

const FORM = 'application/x-www-form-urlencoded';

/** A provider's form POST (Twilio sends every webhook as one), read within `limit` bytes. */
export async function readForm(req: IncomingMessage, limit: number): Promise<Record<string, string>> {
  if (mediaTypeOf(req.headers) !== FORM) {
    throw new DomainError(ErrorCode.UnsupportedMediaType, `Twilio's requests are sent as ${FORM}.`);
  }
  return Object.fromEntries(new URLSearchParams(await readTextBody(req, limit)));
}
