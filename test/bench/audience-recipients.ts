import 'reflect-metadata';
import { sql } from 'kysely';
import { AudienceQuery } from '../../src/audience/audience.query';
import { AppConfig } from '../../src/config/app-config';
import { Db } from '../../src/database/database.module';
import type { NoticeRow } from '../../src/database/schema';
import { chooseMedia, mediaPolicy } from '../../src/dispatch/media-policy';
import { NoticeTextCache } from '../../src/dispatch/notice-text';
import { statusCallbackUrl } from '../../src/providers/sms/status-callback';
import type { PushMessage } from '../../src/providers/push/push-sender';
import type { SmsRequest } from '../../src/providers/sms/sms-sender';

/** The page size Aviso's planner uses (one sendEach per page and medium). */
export const PAGE_SIZE = 500;

export interface PushRecipient {
  customerId: string;
  locale: string;
  tokens: string[];
}

export interface SmsRecipient {
  customerId: string;
  locale: string;
  phone: string;
}

export interface RecipientPage {
  push: PushRecipient[];
  sms: SmsRecipient[];
}

/**
 * The audience of an existing notice, streamed the way Aviso's planner streams it (AudienceQuery pages of 500,
 * the same medium choice), with each push recipient's device tokens fetched per page. What the ceiling and the
 * naive design send, so all three designs reach exactly the same people with the same messages.
 */
export async function* recipientPages(db: Db, notice: NoticeRow): AsyncGenerator<RecipientPage> {
  const policy = mediaPolicy(notice.severity, notice.media);
  const audience = new AudienceQuery(db);
  for await (const members of audience.pages(notice.audience_spec, notice.incident_id, PAGE_SIZE)) {
    const page: RecipientPage = { push: [], sms: [] };
    const pushIds: string[] = [];
    for (const member of members) {
      const media = chooseMedia(member, policy);
      if (media.includes('push')) pushIds.push(member.customerId);
      if (media.includes('sms'))
        page.sms.push({
          customerId: member.customerId,
          locale: member.locale,
          phone: member.phone as string,
        });
    }
    const tokens = await tokensOf(db, pushIds);
    for (const member of members) {
      const own = tokens.get(member.customerId);
      if (own) page.push.push({ customerId: member.customerId, locale: member.locale, tokens: own });
    }
    yield page;
  }
}

async function tokensOf(db: Db, customerIds: string[]): Promise<Map<string, string[]>> {
  const byCustomer = new Map<string, string[]>();
  if (!customerIds.length) return byCustomer;
  const { rows } = await sql<{ customer_id: string; token: string }>`
    SELECT customer_id, token FROM devices WHERE customer_id = ANY(${customerIds}::text[])`.execute(db);
  for (const r of rows) {
    const list = byCustomer.get(r.customer_id);
    if (list) list.push(r.token);
    else byCustomer.set(r.customer_id, [r.token]);
  }
  return byCustomer;
}

/** Builds the same push messages and SMS Aviso's batch senders build for this notice. */
export class NoticeMessages {
  private readonly texts: NoticeTextCache;
  private readonly statusCallback: string;

  constructor(
    private readonly notice: NoticeRow,
    private readonly config: AppConfig,
  ) {
    this.texts = new NoticeTextCache(notice.content, notice.type, config.channels);
    this.statusCallback = statusCallbackUrl(config.env.PUBLIC_BASE_URL);
  }

  push(locale: string, token: string): PushMessage {
    const text = this.texts.for(locale ?? this.config.channels.defaultLocale);
    const notice = this.notice;
    return {
      token,
      title: text.title,
      body: text.body,
      collapseKey: notice.incident_id,
      data: { incidentId: notice.incident_id, noticeId: notice.id, type: notice.type },
    };
  }

  sms(locale: string, phone: string): SmsRequest {
    const text = this.texts.for(locale ?? this.config.channels.defaultLocale);
    return { to: phone, body: text.sms, statusCallback: this.statusCallback };
  }
}
