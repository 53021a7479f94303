import { z } from 'zod';
import { DomainError } from '../common/errors/domain-error';

const stringMap = z.record(z.string(), z.string());

/**
 * The parts of Alertmanager's webhook payload (version 4) Aviso reads. Fields it does not read (receiver,
 * externalURL, generatorURL, …) are let through, so a newer Alertmanager that adds some is not refused.
 */
const alertGroupSchema = z.object({
  version: z.literal('4'),
  groupKey: z.string().min(1),
  status: z.enum(['firing', 'resolved']),
  groupLabels: stringMap,
  commonLabels: stringMap,
  alerts: z
    .array(
      z.object({
        status: z.enum(['firing', 'resolved']),
        labels: stringMap,
        annotations: stringMap.default({}),
        startsAt: z.string().datetime({ offset: true }),
        endsAt: z.string().datetime({ offset: true }).optional(),
        fingerprint: z.string().min(1),
      }),
    )
    .min(1),
});

export type AlertGroup = z.infer<typeof alertGroupSchema>;
export type Alert = AlertGroup['alerts'][number];

/** Checks a webhook body; a payload that is not Alertmanager's is a 400 naming each field. */
export function parseAlertGroup(body: unknown): AlertGroup {
  const parsed = alertGroupSchema.safeParse(body);
  if (!parsed.success) {
    throw DomainError.validation(
      parsed.error.issues.map((i) => ({ field: formatPath(i.path), reason: i.message })),
      'The body is not an Alertmanager webhook payload (version 4).',
    );
  }
  return parsed.data;
}

function formatPath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');
}
