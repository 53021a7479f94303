import type { IncomingMessage } from 'node:http';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Observable } from 'rxjs';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { jsonLimitErrors } from './json-limits';
import { mediaTypeOf } from './media-type';
import { readTextBody } from './text-body';

const STREAMED_BODY = 'aviso:streamed-body';

/** The handler reads the request stream itself (NDJSON import): the JSON reader leaves it untouched. */
export const StreamedBody = () => SetMetadata(STREAMED_BODY, true);

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;

/**
 * Reads JSON request bodies. An interceptor rather than Express middleware, so that it runs after the guards: a
 * request without a valid key (or over its rate) is refused before its body is read. Compressed bodies are refused
 * rather than inflated, and a parsed body, like the query string, must fit JSON_LIMITS before any validator walks it.
 */
@Injectable()
export class JsonBodyReader implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly limit: number,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const targets = [context.getHandler(), context.getClass()];
    if (context.getType() === 'http' && !this.reflector.getAllAndOverride<boolean>(STREAMED_BODY, targets)) {
      const req = context.switchToHttp().getRequest<Request>();
      // Query values reach SQL as parameters too: the same limits and storable text, named by parameter.
      const queryErrors = jsonLimitErrors(req.query);
      if (queryErrors.length) {
        throw DomainError.validation(queryErrors, 'The query string holds values this API cannot take.');
      }
      req.body = await this.read(req);
    }
    return next.handle();
  }

  private async read(req: IncomingMessage): Promise<unknown> {
    if (!hasBody(req)) return undefined;
    const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity') {
      throw new DomainError(
        ErrorCode.UnsupportedMediaType,
        `Content-Encoding ${encoding} is not accepted; send the body uncompressed.`,
      );
    }
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1];
    if (!JSON_TYPE.test(mediaTypeOf(req.headers)) || (charset && !/^utf-?8$/i.test(charset))) {
      throw new DomainError(ErrorCode.UnsupportedMediaType, 'The body must be application/json in UTF-8.');
    }
    const text = await readTextBody(req, this.limit);
    if (!text.trim()) return undefined;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      throw new DomainError(ErrorCode.MalformedBody, `The body is not valid JSON: ${(err as Error).message}`);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw DomainError.validation([{ field: '', reason: 'must be a JSON object' }]);
    }
    const errors = jsonLimitErrors(body);
    if (errors.length) {
      throw DomainError.validation(
        errors,
        'The body exceeds the limits of this API or holds text it cannot store.',
      );
    }
    return body;
  }
}

/** As in RFC 9112: a request has a body when it says how long it is (and that is not 0) or that it is chunked. */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
