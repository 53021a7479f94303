import { IntlMessageFormat } from 'intl-messageformat';
import { z } from 'zod';

import type { NoticeKind } from '../database/schema';

const NOTICE_KINDS: NoticeKind[] = ['opened', 'updated', 'restored', 'resolved'];

/** ICU MessageFormat text (plural rules per locale); checked to parse at boot, not at the first notice. */
const messageFormat = z.string().superRefine((text, ctx) => {
  try {
    new IntlMessageFormat(text, 'en');
  } catch (err) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `not an ICU message: ${(err as Error).message}` });
  }
});
const localized = z.record(z.string(), messageFormat);
const kindTemplates = z.record(z.string(), z.object({ title: messageFormat, message: messageFormat }));

/**
 * What a notice says when the event does not say it. Slots: `{channels}` (the customer's own affected channels,
 * named in their locale), `{count}` (how many), `{time}` (the next update in the customer's time zone), `{url}`.
 */
export const noticeCatalogSchema = z.object({
  templates: z.object({
    opened: kindTemplates,
    updated: kindTemplates,
    restored: kindTemplates,
    resolved: kindTemplates,
  }),
  /** Short sentences an event may name (`assurances: ["funds-safe"]`), per locale. */
  assurances: z.record(z.string().regex(/^[a-z0-9-]+$/), localized),
  lines: z.object({ nextUpdate: localized, statusLink: localized, antiPhishing: localized }),
  /** Whether every notice ends with the anti-phishing line. */
  antiPhishing: z.boolean(),
});

export type NoticeCatalog = z.infer<typeof noticeCatalogSchema>;

/** Every kind, assurance and line needs the default locale: it is what any other locale falls back to. */
export function noticeCatalogProblems(notices: NoticeCatalog, defaultLocale: string): string[] {
  const sets: [string, Record<string, unknown>][] = [
    ...NOTICE_KINDS.map((kind): [string, Record<string, unknown>] => [
      `templates.${kind}`,
      notices.templates[kind],
    ]),
    ...Object.entries(notices.assurances).map(([id, texts]): [string, Record<string, unknown>] => [
      `assurances.${id}`,
      texts,
    ]),
    ...Object.entries(notices.lines).map(([id, texts]): [string, Record<string, unknown>] => [
      `lines.${id}`,
      texts,
    ]),
  ];
  return sets.filter(([, texts]) => !Object.hasOwn(texts, defaultLocale)).map(([path]) => `notices.${path}`);
}
