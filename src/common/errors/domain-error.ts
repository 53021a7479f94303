export enum ErrorCode {
  ValidationFailed = 'validation-failed',
  MalformedBody = 'malformed-body',
  PayloadTooLarge = 'payload-too-large',
  UriTooLong = 'uri-too-long',
  HeadersTooLarge = 'headers-too-large',
  RequestTimeout = 'request-timeout',
  TooManyRequests = 'too-many-requests',
  UnsupportedMediaType = 'unsupported-media-type',
  Unauthenticated = 'unauthenticated',
  Forbidden = 'forbidden',
  NotFound = 'not-found',
  Conflict = 'conflict',
  InvalidState = 'invalid-state',
  IncidentUnknown = 'incident-unknown',
  Unavailable = 'unavailable',
}

export interface FieldError {
  /** Path into the request body, e.g. `channels[0].id`; empty for the body as a whole. */
  field: string;
  reason: string;
}

/** A failure the caller can act on. Services throw these; only the problem filter turns them into HTTP. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static validation(errors: FieldError[], message = 'The request has invalid fields.'): DomainError {
    return new DomainError(ErrorCode.ValidationFailed, message, errors);
  }

  static notFound(what: string, id: string): DomainError {
    return new DomainError(ErrorCode.NotFound, `${what} ${id} does not exist.`);
  }
}
