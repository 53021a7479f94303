import { Injectable } from '@nestjs/common';
import type { NoticeRow } from '../database/schema';
import { NoticesRepository } from '../notices/notices.repository';
import { NoticeTextCache } from '../content/notice-renderer';
import { NoticeTexts } from './notice-texts';

/** How every batch job starts: re-read its notice, skip a cancelled or missing one, and fetch its texts. */
@Injectable()
export class BatchOpening {
  constructor(
    private readonly notices: NoticesRepository,
    private readonly texts: NoticeTexts,
  ) {}

  async open(noticeId: string): Promise<{ notice: NoticeRow; texts: NoticeTextCache } | null> {
    const notice = await this.notices.find(noticeId);
    if (!notice || notice.state === 'cancelled') return null;
    return { notice, texts: this.texts.of(notice) };
  }

  async cancelled(noticeId: string): Promise<boolean> {
    return (await this.notices.find(noticeId))?.state === 'cancelled';
  }
}
