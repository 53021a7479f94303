import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { problemFor } from '../errors/problem';

/** Longest request target served; Node's own limit (16 KB for the request line and headers together) stays behind it. */
export const MAX_URL_LENGTH = 8_192;

/** What Node's HTTP parser refused, as the problem the caller gets; anything unrecognised is a malformed request. */
function problemOf(code: string | undefined): DomainError {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return new DomainError(
        ErrorCode.HeadersTooLarge,
        'The request line and headers exceed 16 KB together.',
      );
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new DomainError(ErrorCode.RequestTimeout, 'The request was not received in time.');
    default:
      return new DomainError(ErrorCode.MalformedBody, 'The request is not well-formed HTTP/1.1.');
  }
}

/**
 * The server's `clientError` listener: a request Node could not parse is answered with problem JSON like every other
 * error, instead of Node's bare status line, and the connection is closed.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const problem = problemFor(problemOf(err.code));
  const body = JSON.stringify(problem);
  socket.end(
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\n` +
      'Content-Type: application/problem+json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
