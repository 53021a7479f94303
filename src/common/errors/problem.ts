import type { Response } from 'express';
import { DomainError, ErrorCode, FieldError } from './domain-error';

/** RFC 9457 problem details. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
}

const CATALOG: Record<ErrorCode, { status: number; title: string }> = {
  [ErrorCode.ValidationFailed]: { status: 400, title: 'Invalid request' },
  [ErrorCode.MalformedBody]: { status: 400, title: 'Malformed request body' },
  [ErrorCode.PayloadTooLarge]: { status: 413, title: 'Request body too large' },
  [ErrorCode.UnsupportedMediaType]: { status: 415, title: 'Unsupported media type' },
  [ErrorCode.Unauthenticated]: { status: 401, title: 'Authentication required' },
  [ErrorCode.Forbidden]: { status: 403, title: 'Not allowed' },
  [ErrorCode.NotFound]: { status: 404, title: 'Not found' },
  [ErrorCode.Conflict]: { status: 409, title: 'Conflict' },
  [ErrorCode.InvalidState]: { status: 409, title: 'Not possible in the current state' },
  [ErrorCode.Unavailable]: { status: 503, title: 'Temporarily unavailable' },
};

export const PROBLEM_TYPE_BASE = 'https://aviso.dev/problems/';

export function problemFor(error: DomainError): Problem {
  const { status, title } = CATALOG[error.code];
  const problem: Problem = { type: PROBLEM_TYPE_BASE + error.code, title, status, detail: error.message };
  if (error.errors.length) problem.errors = error.errors;
  return problem;
}

export function statusOf(code: ErrorCode): number {
  return CATALOG[code].status;
}

export function writeProblem(res: Response, problem: Problem, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res
    .status(problem.status)
    .set({ ...headers, 'Content-Type': 'application/problem+json' })
    .send(JSON.stringify(problem));
}
