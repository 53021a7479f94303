import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../access/caller';
import { metricsRegistry } from './metrics';

/** Prometheus scrape endpoint; expose it only on the internal network. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Public()
  @Header('Content-Type', metricsRegistry.contentType)
  scrape(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
