import { z } from 'zod';

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
    /** Title of a notice whose event gave none, per event type and locale. */
    noticeTitles: z.object({
      opened: z.record(z.string(), z.string()),
      updated: z.record(z.string(), z.string()),
      resolved: z.record(z.string(), z.string()),
    }),
  })
  .refine((c) => c.locales.includes(c.defaultLocale), 'defaultLocale must be one of locales')
  .refine(
    (c) => new Set(c.channels.map((ch) => ch.id)).size === c.channels.length,
    'channel ids must be unique',
  );

export type ChannelDefinition = z.infer<typeof catalogSchema>['channels'][number];

export interface ChannelCatalog {
  readonly locales: readonly string[];
  readonly defaultLocale: string;
  readonly channels: readonly ChannelDefinition[];
  readonly noticeTitles: Readonly<
    Record<'opened' | 'updated' | 'resolved', Readonly<Record<string, string>>>
  >;
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
