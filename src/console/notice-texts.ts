import type { AppConfig } from '../config/app-config';
import type { NoticeToRender } from '../content/notice-parts';
import { renderNotice } from '../content/notice-renderer';
import type { RenderedText } from './views/preview';

/** A reader of each catalog locale in Colombia who uses every channel the notice names. */
const SAMPLE_TIME_ZONE = 'America/Bogota';

/** The texts each medium will carry, per catalog locale, exactly as the senders render them for a sample reader. */
export function renderedTexts(notice: NoticeToRender, config: AppConfig): RenderedText[] {
  const settings = { statusPageUrl: config.env.STATUS_PAGE_URL, smsMaxSegments: config.env.SMS_MAX_SEGMENTS };
  return config.channels.locales.map((locale) => {
    const text = renderNotice(
      notice,
      { locale, timeZone: SAMPLE_TIME_ZONE, channels: {} },
      config.channels,
      settings,
    );
    return {
      locale,
      title: text.title,
      body: text.body,
      sms: text.sms.text,
      smsCharacters: text.sms.count.characters,
      smsSegments: text.sms.count.segments,
      smsEncoding: text.sms.count.encoding,
      smsDropped: text.sms.dropped,
    };
  });
}
