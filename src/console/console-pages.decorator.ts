import { applyDecorators, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../access/caller';
import { StreamedBody } from '../common/http/json-body.reader';
import { ConsoleFilter } from './console.filter';
import { ConsoleGuard } from './console.guard';

/**
 * A controller of console pages: no API key but a person's session (ConsoleGuard), failures shown as pages
 * (ConsoleFilter), kept out of the API description. Its forms are read by the URL-encoded parser http-app mounts
 * on /console, before the guard checks their CSRF token, so the JSON body reader leaves them alone.
 */
export const ConsolePages = () =>
  applyDecorators(
    ApiExcludeController(),
    StreamedBody(),
    Public(),
    UseGuards(ConsoleGuard),
    UseFilters(ConsoleFilter),
  );
