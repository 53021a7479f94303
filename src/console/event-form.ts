import { randomUUID } from 'node:crypto';
import type { ChannelCatalog } from '../config/channel-catalog';
import type { ChannelStatus, EventType, Severity } from '../database/schema';
import { createValidationPipe } from '../common/validation/validation.pipe';
import { IncidentEventDto } from '../events/event.dto';
import type { EventFormValues } from './views/event-form';

const STATUSES = ['down', 'degraded', 'restored'];
const pipe = createValidationPipe();

/** The form as the person left it: fields the browser sent, nothing inferred. */
export function formValues(body: Record<string, unknown>, catalog: ChannelCatalog): EventFormValues {
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
  const channels: EventFormValues['channels'] = {};
  for (const c of catalog.channels) {
    const status = text(`channel.${c.id}`);
    channels[c.id] = STATUSES.includes(status) ? (status as ChannelStatus) : '';
  }
  const message: Record<string, string> = {};
  for (const locale of catalog.locales) message[locale] = text(`message.${locale}`);
  return {
    eventId: text('eventId') || `console-${randomUUID()}`,
    incidentRef: text('incidentRef').trim(),
    type: (text('type') || 'opened') as EventType,
    severity: (text('severity') || 'major') as Severity,
    channels,
    regions: text('regions'),
    message,
  };
}

/**
 * The event the form describes, validated exactly as the event API validates a body (same DTO, same pipe), so a
 * console event and an upstream one cannot differ. Throws the API's validation error.
 */
export async function eventOf(values: EventFormValues): Promise<IncidentEventDto> {
  const regions = values.regions
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const message = Object.fromEntries(Object.entries(values.message).filter(([, text]) => text.trim()));
  const body = {
    id: values.eventId,
    incidentRef: values.incidentRef,
    type: values.type,
    severity: values.severity,
    channels: Object.entries(values.channels)
      .filter(([, status]) => status)
      .map(([id, status]) => ({ id, status })),
    ...(regions.length ? { regions } : {}),
    message,
    occurredAt: new Date().toISOString(),
  };
  return (await pipe.transform(body, { type: 'body', metatype: IncidentEventDto })) as IncidentEventDto;
}
