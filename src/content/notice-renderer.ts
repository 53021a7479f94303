import type { ChannelCatalog } from '../config/channel-catalog';
import { NoticeReader, noticeParts, NoticeToRender, readersChannels } from './notice-parts';
import { FittedSms, fitSms, SmsParts } from './sms-fitting';

export interface RenderedNotice {
  title: string;
  /** Push body: every part, in full. */
  body: string;
  /** SMS: the title first (an SMS has no title field), shaped to GSM-7 and fitted to the segment limit. */
  sms: FittedSms;
}

export interface RenderSettings {
  statusPageUrl: string | undefined;
  smsMaxSegments: number;
}

export function pushBody(parts: SmsParts): string {
  return [
    parts.message,
    parts.advice,
    ...parts.assurances,
    parts.nextUpdate,
    parts.antiPhishing,
    parts.statusLink,
  ]
    .filter((part): part is string => !!part)
    .join(' ');
}

export function renderNotice(
  notice: NoticeToRender,
  reader: NoticeReader,
  catalog: ChannelCatalog,
  settings: RenderSettings,
): RenderedNotice {
  const parts = noticeParts(notice, reader, catalog, settings.statusPageUrl);
  return { title: parts.title, body: pushBody(parts), sms: fitSms(parts, settings.smsMaxSegments) };
}

/**
 * Renders a notice once per distinct reader: locale, own affected channels and, only when the notice tells a
 * next-update time, time zone. A batch of 500 recipients shares a handful of texts.
 */
export class NoticeTextCache {
  private readonly texts = new Map<string, RenderedNotice>();

  constructor(
    private readonly notice: NoticeToRender,
    private readonly catalog: ChannelCatalog,
    private readonly settings: RenderSettings,
  ) {}

  /** A customer deleted since planning reads the default locale on UTC; senders do not message them anyway. */
  for(recipient: { [K in keyof NoticeReader]: NoticeReader[K] | null }): RenderedNotice {
    const reader: NoticeReader = {
      locale: recipient.locale ?? this.catalog.defaultLocale,
      timeZone: recipient.timeZone ?? 'UTC',
      channels: recipient.channels ?? {},
    };
    const zone = this.notice.content.nextUpdateAt ? reader.timeZone : '';
    const key = `${reader.locale}|${zone}|${readersChannels(this.notice.content, reader).join(',')}`;
    let text = this.texts.get(key);
    if (!text) {
      text = renderNotice(this.notice, reader, this.catalog, this.settings);
      this.texts.set(key, text);
    }
    return text;
  }
}
