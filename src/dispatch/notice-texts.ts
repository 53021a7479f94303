import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { NoticeRow } from '../database/schema';
import { NoticeTextCache } from '../content/notice-renderer';

/** Keeps the rendered texts of the notices a worker is sending; a notice's texts never change. */
@Injectable()
export class NoticeTexts {
  private static readonly KEEP = 32;
  private readonly byNotice = new Map<string, NoticeTextCache>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  of(notice: NoticeRow): NoticeTextCache {
    let cache = this.byNotice.get(notice.id);
    if (!cache) {
      if (this.byNotice.size >= NoticeTexts.KEEP)
        this.byNotice.delete(this.byNotice.keys().next().value as string);
      cache = new NoticeTextCache({ kind: notice.type, content: notice.content }, this.config.channels, {
        statusPageUrl: this.config.env.STATUS_PAGE_URL,
        smsMaxSegments: this.config.env.SMS_MAX_SEGMENTS,
      });
      this.byNotice.set(notice.id, cache);
    }
    return cache;
  }
}
