import { readFileSync } from 'node:fs';
import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../access/caller';
import { SignedOut } from './console-request';
import { CONSOLE_CSS } from './views/style';

// Served from the installed packages: no CDN, so the console works on a bank's closed network.
const HTMX = readFileSync(require.resolve('htmx.org/dist/htmx.min.js'), 'utf8');
const HTMX_SSE = readFileSync(require.resolve('htmx-ext-sse/dist/sse.min.js'), 'utf8');
const CACHE = 'public, max-age=3600';

@ApiExcludeController()
@Public()
@SignedOut()
@Controller('console/assets')
export class ConsoleAssetsController {
  @Get('console.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', CACHE)
  css(): string {
    return CONSOLE_CSS;
  }

  @Get('htmx.min.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', CACHE)
  htmx(): string {
    return HTMX;
  }

  @Get('htmx-sse.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', CACHE)
  sse(): string {
    return HTMX_SSE;
  }
}
