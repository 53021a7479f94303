import type { IncomingMessage } from 'node:http';
import getRawBody from 'raw-body';
import { DomainError, ErrorCode } from '../errors/domain-error';

/** The whole body as UTF-8 text, at most `limit` bytes; a body too large or cut short is the caller's error. */
export function readTextBody(req: IncomingMessage, limit: number): Promise<string> {
  return getRawBody(req, { limit, length: req.headers['content-length'], encoding: 'utf8' }).catch(
    (err: unknown) => {
      throw fromRawBody(err) ?? err;
    },
  );
}

interface RawBodyError {
  type?: string;
  limit?: number;
  message?: string;
}

/** raw-body's own errors, which are the sender's doing and never a 500. */
function fromRawBody(exception: unknown): DomainError | undefined {
  const err = exception as RawBodyError | null;
  switch (err?.type) {
    case 'entity.too.large':
      return new DomainError(ErrorCode.PayloadTooLarge, `The body exceeds the limit of ${err.limit} bytes.`);
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new DomainError(ErrorCode.MalformedBody, err.message ?? 'The body could not be read.');
    default:
      return undefined;
  }
}
