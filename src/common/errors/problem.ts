import type { ServerResponse } from 'node:http';
import { DomainError, ErrorCode, FieldError } from './domain-error';

/** RFC 9457 problem details. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  /** How many errors there were in all; `errors` holds the first MAX_LISTED_ERRORS. */
  errorCount?: number;
}

/** An answer names enough fields to act on, and never grows with the request. */
const MAX_LISTED_ERRORS = 20;

const CATALOG: Record<ErrorCode, { status: number; title: string }> = {
  [ErrorCode.ValidationFailed]: { status: 400, title: 'Invalid request' },
  [ErrorCode.MalformedBody]: { status: 400, title: 'Malformed request body' },
  [ErrorCode.PayloadTooLarge]: { status: 413, title: 'Request body too large' },
  [ErrorCode.UriTooLong]: { status: 414, title: 'URL too long' },
  [ErrorCode.HeadersTooLarge]: { status: 431, title: 'Request headers too large' },
  [ErrorCode.RequestTimeout]: { status: 408, title: 'Request timeout' },
  [ErrorCode.TooManyRequests]: { status: 429, title: 'Too many requests' },
  [ErrorCode.UnsupportedMediaType]: { status: 415, title: 'Unsupported media type' },
  [ErrorCode.Unauthenticated]: { status: 401, title: 'Authentication required' },
  [ErrorCode.Forbidden]: { status: 403, title: 'Not allowed' },
  [ErrorCode.NotFound]: { status: 404, title: 'Not found' },
  [ErrorCode.Conflict]: { status: 409, title: 'Conflict' },
  [ErrorCode.InvalidState]: { status: 409, title: 'Not possible in the current state' },
  [ErrorCode.IncidentUnknown]: { status: 409, title: 'Unknown incident' },
  [ErrorCode.Unavailable]: { status: 503, title: 'Temporarily unavailable' },
};

export const PROBLEM_TYPE_BASE = 'https://aviso.dev/problems/';

export function problemFor(error: DomainError): Problem {
  const { status, title } = CATALOG[error.code];
  const problem: Problem = { type: PROBLEM_TYPE_BASE + error.code, title, status, detail: error.message };
  if (error.errors.length) {
    problem.errors = error.errors.slice(0, MAX_LISTED_ERRORS);
    problem.errorCount = error.errors.length;
  }
  return problem;
}

/** Plain Node API, so that it also serves requests that never reach Express (fast lanes). */
export function writeProblem(
  res: ServerResponse,
  problem: Problem,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  const body = JSON.stringify(problem);
  res
    .writeHead(problem.status, {
      ...headers,
      'Content-Type': 'application/problem+json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    })
    .end(body);
}
