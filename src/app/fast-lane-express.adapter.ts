import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { problemFor, writeProblem } from '../common/errors/problem';
import { answerClientError, MAX_URL_LENGTH } from '../common/http/client-errors';

/** Serves a request and returns true, or returns false to leave it to Express. */
type FastLane = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * Express with fast lanes in front of it, and problem JSON for what never reaches either (an unparsable request, a
 * URL longer than MAX_URL_LENGTH). A request a lane takes never reaches Express: no middleware stack, body
 * parser, router, guard or request log line. Only for high-volume machine traffic that authenticates itself
 * (provider callbacks); everything else goes through Nest as usual.
 */
export class FastLaneExpressAdapter extends ExpressAdapter {
  private readonly lanes: FastLane[] = [];

  addFastLane(lane: FastLane): void {
    this.lanes.push(lane);
  }

  override initHttpServer(options: NestApplicationOptions): void {
    if (options.httpsOptions || options.forceCloseConnections) {
      throw new Error('FastLaneExpressAdapter serves plain HTTP without forced connection closing only');
    }
    const express = this.getInstance<(req: IncomingMessage, res: ServerResponse) => void>();
    this.httpServer = createServer((req, res) => {
      if ((req.url?.length ?? 0) > MAX_URL_LENGTH) {
        const tooLong = `The URL exceeds ${MAX_URL_LENGTH} characters.`;
        return writeProblem(res, problemFor(new DomainError(ErrorCode.UriTooLong, tooLong)));
      }
      if (!this.lanes.some((lane) => lane(req, res))) express(req, res);
    });
    this.httpServer.on('clientError', answerClientError);
  }
}
