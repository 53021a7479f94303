import { IntlMessageFormat } from 'intl-messageformat';
import type { ChannelCatalog } from '../config/channel-catalog';
import type { ChannelActivity, NoticeContent, NoticeKind } from '../database/schema';
import type { SmsParts } from './sms-fitting';

/** What rendering needs to know of a recipient: their language, their clock, and the channels they use. */
export interface NoticeReader {
  locale: string;
  timeZone: string;
  channels: ChannelActivity;
}

export interface NoticeToRender {
  kind: NoticeKind;
  content: NoticeContent;
}

/** The channels of the notice this reader uses (within each channel's activity window); all of them if none. */
export function readersChannels(content: NoticeContent, reader: NoticeReader): string[] {
  const subject = content.channels ?? [];
  const own = subject.filter((c) => (reader.channels[c.id] ?? -Infinity) >= Date.parse(c.since));
  return (own.length ? own : subject).map((c) => c.id);
}

function pick<T>(
  texts: Readonly<Record<string, T>> | undefined,
  locale: string,
  fallback: string,
): T | undefined {
  return texts?.[locale] ?? texts?.[fallback];
}

function format(template: string, locale: string, values: Record<string, string | number>): string {
  return String(new IntlMessageFormat(template, locale).format(values));
}

/**
 * The parts of one notice for one reader, in the reader's locale (each text falling back to the default locale):
 * the event's own title and message when it gave them, else the catalog template's, with the reader's own
 * affected channels named in their language and the next update told on their clock.
 */
export function noticeParts(
  notice: NoticeToRender,
  reader: NoticeReader,
  catalog: ChannelCatalog,
  statusPageUrl: string | undefined,
): SmsParts {
  const { locale } = reader;
  const fallback = catalog.defaultLocale;
  const { templates, assurances, lines } = catalog.notices;
  const template = pick(templates[notice.kind], locale, fallback);
  if (!template) throw new Error(`No ${notice.kind} template in ${fallback}`);
  const ids = readersChannels(notice.content, reader);
  const names = ids.map((id) => {
    const names = catalog.channels.find((c) => c.id === id)?.names;
    return pick(names, locale, fallback) ?? id;
  });
  const slots = {
    channels: new Intl.ListFormat(locale, { type: 'conjunction' }).format(names),
    count: names.length,
  };
  const content = notice.content;
  const line = (texts: Readonly<Record<string, string>>, values: Record<string, string>) =>
    format(pick(texts, locale, fallback) as string, locale, values);
  return {
    title: pick(content.title, locale, fallback) ?? format(template.title, locale, slots),
    message: pick(content.message, locale, fallback) ?? format(template.message, locale, slots),
    advice: pick(content.advice, locale, fallback),
    assurances: (content.assurances ?? []).flatMap((id) => {
      const text = pick(assurances[id], locale, fallback);
      return text ? [format(text, locale, {})] : [];
    }),
    nextUpdate: content.nextUpdateAt
      ? line(lines.nextUpdate, { time: localTime(content.nextUpdateAt, locale, reader.timeZone) })
      : undefined,
    antiPhishing: catalog.notices.antiPhishing ? line(lines.antiPhishing, {}) : undefined,
    statusLink: statusPageUrl ? line(lines.statusLink, { url: statusPageUrl }) : undefined,
  };
}

/** "3 de dic, 10:00 a. m.": the day and time on the reader's clock. */
function localTime(at: string, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    day: 'numeric',
    month: 'short',
    hour: 'numeric',
    minute: '2-digit',
  }).format(new Date(at));
}
