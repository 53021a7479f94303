import 'reflect-metadata';
import { sql } from 'kysely';
import { AudienceMember, AudienceQuery } from '../../src/audience/audience.query';
import { AppConfig } from '../../src/config/app-config';
import { Db } from '../../src/database/database.module';
import type { NoticeRow } from '../../src/database/schema';
import { chooseMedia, mediaPolicy } from '../../src/dispatch/media-policy';
import { NoticeTextCache } from '../../src/content/notice-renderer';
import { statusCallbackUrl } from '../../src/providers/sms/status-callback';
import type { PushMessage } from '../../src/providers/push/push-sender';
import type { SmsRequest } from '../../src/providers/sms/sms-sender';
import type { NoticeReader } from '../../src/content/notice-parts';

/** The page size Aviso's planner uses (one sendEach per page and medium). */
export const PAGE_SIZE = 500;

export interface PushRecipient {
  customerId: string;
  reader: NoticeReader;
  tokens: string[];
}

export interface SmsRecipient {
  customerId: string;
  reader: NoticeReader;
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
          reader: readerOf(member),
          phone: member.phone as string,
        });
    }
    const tokens = await tokensOf(db, pushIds);
    for (const member of members) {
      const own = tokens.get(member.customerId);
      if (own) page.push.push({ customerId: member.customerId, reader: readerOf(member), tokens: own });
    }
    yield page;
  }
}

/** What the texts depend on, and nothing else: it travels in every naive job. */
function readerOf(member: AudienceMember): NoticeReader {
  return { locale: member.locale, timeZone: member.timeZone, channels: member.channels };
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
    this.texts = new NoticeTextCache({ kind: notice.type, content: notice.content }, config.channels, {
      statusPageUrl: config.env.STATUS_PAGE_URL,
      smsMaxSegments: config.env.SMS_MAX_SEGMENTS,
    });
    this.statusCallback = statusCallbackUrl(config.env.PUBLIC_BASE_URL);
  }

  push(reader: NoticeReader, token: string): PushMessage {
    const text = this.texts.for(reader);
    const notice = this.notice;
    return {
      token,
      title: text.title,
      body: text.body,
      collapseKey: notice.incident_id,
      data: { incidentId: notice.incident_id, noticeId: notice.id, type: notice.type },
    };
  }

  sms(reader: NoticeReader, phone: string): SmsRequest {
    const text = this.texts.for(reader);
    return { to: phone, body: text.sms.text, statusCallback: this.statusCallback };
  }
}
