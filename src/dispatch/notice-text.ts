import type { ChannelCatalog } from '../config/channel-catalog';
import type { EventType, NoticeContent } from '../database/schema';

interface RenderedNotice {
  title: string;
  /** Push body: the message, then the advice line. */
  body: string;
  /** SMS: one text with the title first, since an SMS has no title field. */
  sms: string;
}

function pick(
  texts: Readonly<Record<string, string>> | undefined,
  locale: string,
  fallback: string,
): string | undefined {
  return texts?.[locale] ?? texts?.[fallback];
}

/** The notice in the customer's locale, falling back to the default locale text by text. */
export function renderNotice(
  content: NoticeContent,
  type: EventType,
  locale: string,
  catalog: ChannelCatalog,
): RenderedNotice {
  const fallback = catalog.defaultLocale;
  const title =
    pick(content.title, locale, fallback) ?? pick(catalog.noticeTitles[type], locale, fallback) ?? '';
  const message = pick(content.message, locale, fallback) ?? '';
  const advice = pick(content.advice, locale, fallback);
  const body = advice ? `${message} ${advice}` : message;
  return { title, body, sms: `${title}: ${body}` };
}

/** Renders each locale once per notice; a batch of 500 recipients shares a handful of texts. */
export class NoticeTextCache {
  private readonly texts = new Map<string, RenderedNotice>();

  constructor(
    private readonly content: NoticeContent,
    private readonly type: EventType,
    private readonly catalog: ChannelCatalog,
  ) {}

  for(locale: string): RenderedNotice {
    let text = this.texts.get(locale);
    if (!text) {
      text = renderNotice(this.content, this.type, locale, this.catalog);
      this.texts.set(locale, text);
    }
    return text;
  }
}
