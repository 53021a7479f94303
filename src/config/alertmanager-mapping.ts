import { z } from 'zod';

const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a Prometheus label name');
const severity = z.enum(['critical', 'major', 'minor']);

const mappingSchema = z.object({
  /** Which alert labels carry the channel (a catalog id), the severity, the channel status and the region. */
  labels: z.object({ channel: labelName, severity: labelName, status: labelName, region: labelName }),
  /** Severity label value → Aviso severity; a value not listed here gets `defaultSeverity`. */
  severities: z.record(z.string(), severity),
  defaultSeverity: severity,
  /** Status of a firing alert's channel when its status label is absent. */
  defaultStatus: z.enum(['down', 'degraded']),
  /** Locale → annotation holding the notice text in that locale. */
  messageAnnotations: z.record(z.string(), labelName),
});

export type AlertmanagerMapping = z.infer<typeof mappingSchema>;

export function parseAlertmanagerMapping(raw: unknown, source: string, locales: readonly string[]) {
  const parsed = mappingSchema
    .refine((m) => Object.keys(m.messageAnnotations).every((l) => locales.includes(l)), {
      message: `messageAnnotations may only name catalog locales (${locales.join(', ')})`,
    })
    .safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`Invalid Alertmanager mapping ${source}: ${detail}`);
  }
  return parsed.data;
}
