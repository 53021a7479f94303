import type { IncomingHttpHeaders } from 'node:http';
import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { CloudEvent, CONSTANTS, HTTP, ValidationError, V1 } from 'cloudevents';
import type { Request } from 'express';
import { DomainError, FieldError } from '../common/errors/domain-error';
import { mediaTypeOf } from '../common/http/media-type';

/**
 * The incident event a request carries: the body itself, or, for a CloudEvent (binary mode: `ce-*` headers and the
 * event as the body; structured mode: `application/cloudevents+json` with the event in `data`), its data, read with
 * the `cloudevents` SDK. The CloudEvent's id stands in for an event id the data lacks, so the same CloudEvent
 * delivered twice is a duplicate.
 */
export function incidentEventOf(headers: IncomingHttpHeaders, body: unknown): unknown {
  const mediaType = mediaTypeOf(headers);
  const binary = typeof headers[CONSTANTS.CE_HEADERS.ID] === 'string';
  if (!binary && !mediaType.startsWith(CONSTANTS.MIME_CE)) return body;
  const field = (attribute: string) => (binary ? `ce-${attribute}` : attribute);
  if (!binary && typeof (body as { id?: unknown } | undefined)?.id !== 'string') {
    // The SDK would make up an id, and a made-up id makes every delivery a new event.
    throw DomainError.validation([{ field: 'id', reason: 'a CloudEvent needs an id' }]);
  }
  const event = toCloudEvent({ ...headers, 'content-type': mediaType }, body, field);
  const data = event.data;
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw DomainError.validation([
      { field: binary ? 'body' : 'data', reason: 'must be the incident event, a JSON object' },
    ]);
  }
  return { id: event.id, ...data };
}

/** The SDK checks attributes with Ajv; its errors name the attribute by path, or as missing. */
interface SchemaError {
  instancePath?: string;
  params?: { missingProperty?: string };
  message?: string;
}

function toCloudEvent(
  headers: IncomingHttpHeaders,
  body: unknown,
  field: (attribute: string) => string,
): CloudEvent<unknown> {
  try {
    const event = HTTP.toEvent({ headers, body }) as CloudEvent<unknown>;
    if (event.specversion !== V1) {
      throw DomainError.validation([{ field: field('specversion'), reason: `must be ${V1}` }]);
    }
    event.validate();
    return event;
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const errors = (err.errors as SchemaError[]).map((e): FieldError => ({
      field: field(e.params?.missingProperty ?? (e.instancePath?.replace(/^\//, '') || 'event')),
      reason: e.message ?? String(e),
    }));
    throw DomainError.validation(errors.length ? errors : [{ field: field('event'), reason: err.message }]);
  }
}

/** The route's incident event, unwrapped from a CloudEvent when it is one; validate it with an explicit pipe. */
export const IncidentEventBody = createParamDecorator((_data: unknown, ctx: ExecutionContext): unknown => {
  const req = ctx.switchToHttp().getRequest<Request>();
  return incidentEventOf(req.headers, req.body);
});
