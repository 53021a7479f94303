import { z } from 'zod';
import { NoticeCatalog, noticeCatalogProblems, noticeCatalogSchema } from './notice-catalog';

const catalogSchema = z
  .object({
    locales: z.array(z.string().min(2)).min(1),
    defaultLocale: z.string(),
    channels: z
      .array(
        z.object({
          id: z.string().regex(/^[a-z0-9-]+$/),
          activityWindowDays: z.number().int().positive(),
          names: z.record(z.string(), z.string()),
        }),
      )
      .min(1),
    notices: noticeCatalogSchema,
  })
  .refine((c) => c.locales.includes(c.defaultLocale), 'defaultLocale must be one of locales')
  .refine(
    (c) => new Set(c.channels.map((ch) => ch.id)).size === c.channels.length,
    'channel ids must be unique',
  )
  .superRefine((c, ctx) => {
    for (const path of noticeCatalogProblems(c.notices, c.defaultLocale))
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `${path} needs the default locale ${c.defaultLocale}`,
      });
  });

export type ChannelDefinition = z.infer<typeof catalogSchema>['channels'][number];

export interface ChannelCatalog {
  readonly locales: readonly string[];
  readonly defaultLocale: string;
  readonly channels: readonly ChannelDefinition[];
  /** Templates, assurances and fixed lines of notices. */
  readonly notices: NoticeCatalog;
}

export function parseChannelCatalog(raw: unknown, source: string): ChannelCatalog {
  const parsed = catalogSchema.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`Invalid channel catalog ${source}: ${detail}`);
  }
  return parsed.data;
}

export function channelIds(catalog: ChannelCatalog): string[] {
  return catalog.channels.map((c) => c.id);
}

export function findChannel(catalog: ChannelCatalog, id: string): ChannelDefinition | undefined {
  return catalog.channels.find((c) => c.id === id);
}
