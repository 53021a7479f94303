import { Controller, Get, Inject, OnApplicationBootstrap, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { stat } from 'node:fs/promises';
import etag from 'etag';
import type { Response } from 'express';
import { Public } from '../access/caller';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { statusFiles, StatusPublisher } from './status-publisher';

/** Caches and customers' browsers may keep a copy this long; a status page a few seconds old is still right. */
const MAX_AGE_MS = 15_000;

/**
 * The public status page, served from the snapshot's files and never from the database, so it keeps answering
 * while PostgreSQL is down. No API key: customers read it.
 */
@ApiExcludeController()
@Public()
@Controller()
export class StatusController implements OnApplicationBootstrap {
  private readonly files: ReturnType<typeof statusFiles>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly publisher: StatusPublisher,
  ) {
    this.files = statusFiles(config.env.STATUS_DIR);
  }

  /** A snapshot exists from the start, even before the first incident changes. */
  onApplicationBootstrap(): Promise<void> {
    return this.publisher.request();
  }

  @Get('status.json')
  json(@Res() res: Response): Promise<void> {
    return this.send(res, this.files.json);
  }

  @Get('status')
  page(@Res() res: Response): Promise<void> {
    return this.send(res, this.files.index);
  }

  @Get('status/:locale')
  localePage(@Param('locale') locale: string, @Res() res: Response): Promise<void> {
    if (!this.config.channels.locales.includes(locale))
      throw DomainError.notFound('Status page for locale', locale);
    return this.send(res, this.files.page(locale));
  }

  /**
   * The ETag is the file's size and time, as static servers make it (the app turns Express's own ETags off);
   * send, through Express, answers If-None-Match from it and sets Cache-Control public.
   */
  private async send(res: Response, file: string): Promise<void> {
    const stats = await stat(file).catch(() => null);
    if (!stats) throw new DomainError(ErrorCode.Unavailable, 'The status page has not been written yet.');
    res.setHeader('ETag', etag(stats));
    res.sendFile(file, { maxAge: MAX_AGE_MS }, (err) => {
      if (err && !res.headersSent) res.destroy(err);
    });
  }
}
