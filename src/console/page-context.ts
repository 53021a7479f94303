import { Injectable } from '@nestjs/common';
import { NoticesService } from '../notices/notices.service';
import type { ConsoleRequest } from './console-request';
import { langOf, translator } from './i18n';
import type { PageContext } from './views/layout';

/** What every page's frame shows: the person, their language, the CSRF token, and how many notices wait. */
@Injectable()
export class PageContexts {
  constructor(private readonly notices: NoticesService) {}

  async of(req: ConsoleRequest): Promise<PageContext> {
    const waiting = req.person
      ? (await this.notices.list({ state: 'awaiting-approval', limit: 200 })).items.length
      : 0;
    return { t: translator(langOf(req)), person: req.person ?? null, csrf: req.csrf ?? null, waiting };
  }

  /** For fragments: no count needed. */
  light(req: ConsoleRequest): PageContext {
    return { t: translator(langOf(req)), person: req.person ?? null, csrf: req.csrf ?? null };
  }
}
