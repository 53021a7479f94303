import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { channelIds, ChannelCatalog } from '../config/channel-catalog';
import { APP_CONFIG } from '../config/config.module';
import { DomainError, FieldError } from '../common/errors/domain-error';
import { Medium, NoticeContent } from '../database/schema';
import { StateChangingEvent } from '../incidents/incident-state';
import { bodyHash } from './canonical-body';
import { IncidentEventDto } from './event.dto';

/** An event that passed every rule, in the shapes intake needs. */
export interface ParsedEvent extends StateChangingEvent {
  id: string;
  incidentRef: string;
  content: NoticeContent;
  media: Medium[] | null;
  /** The validated body with normalized values: what is stored and what the duplicate check hashes. */
  body: Record<string, unknown>;
  bodyHash: string;
}

/** Checks an event against the channel catalog (known at run time, so not in the DTO) and normalizes it. */
@Injectable()
export class IncidentEventParser {
  private readonly catalog: ChannelCatalog;
  private readonly maxSkewMs: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.catalog = config.channels;
    this.maxSkewMs = config.env.EVENT_MAX_CLOCK_SKEW * 1000;
  }

  parse(dto: IncidentEventDto): ParsedEvent {
    const occurredAt = new Date(dto.occurredAt);
    const errors = [
      ...this.channelErrors(dto),
      ...this.localeErrors(dto),
      ...this.assuranceErrors(dto),
      ...this.dateErrors(occurredAt),
    ];
    if (errors.length) throw DomainError.validation(errors);
    const content: NoticeContent = {};
    if (dto.message) content.message = dto.message;
    if (dto.title) content.title = dto.title;
    if (dto.advice) content.advice = dto.advice;
    if (dto.assurances?.length) content.assurances = dto.assurances;
    if (dto.nextUpdateAt) content.nextUpdateAt = new Date(dto.nextUpdateAt).toISOString();
    const channels = dto.channels.map((c) => ({ id: c.id, status: c.status }));
    const body: Record<string, unknown> = {
      id: dto.id,
      incidentRef: dto.incidentRef,
      type: dto.type,
      severity: dto.severity,
      channels,
      ...(dto.regions && { regions: dto.regions }),
      ...content,
      ...(dto.media && { media: dto.media }),
      occurredAt: occurredAt.toISOString(),
    };
    return {
      id: dto.id,
      incidentRef: dto.incidentRef,
      type: dto.type,
      severity: dto.severity,
      channels,
      regions: dto.regions ?? null,
      occurredAt,
      content,
      media: dto.media ?? null,
      body,
      bodyHash: bodyHash(body),
    };
  }

  /** A date from the future would make every real event after it stale, freezing the incident. */
  private dateErrors(occurredAt: Date): FieldError[] {
    if (occurredAt.getTime() <= Date.now() + this.maxSkewMs) return [];
    const seconds = this.maxSkewMs / 1000;
    return [{ field: 'occurredAt', reason: `must not be more than ${seconds} seconds in the future` }];
  }

  private channelErrors(dto: IncidentEventDto): FieldError[] {
    const known = channelIds(this.catalog);
    if (dto.channels.length > known.length) {
      return [{ field: 'channels', reason: `must name at most ${known.length} channels, each once` }];
    }
    const seen = new Set<string>();
    return dto.channels.flatMap((channel, i): FieldError[] => {
      const field = `channels[${i}].id`;
      if (!known.includes(channel.id)) {
        return [{ field, reason: `unknown channel ${channel.id}; valid channels: ${known.join(', ')}` }];
      }
      if (seen.has(channel.id)) return [{ field, reason: `channel ${channel.id} is listed more than once` }];
      seen.add(channel.id);
      return [];
    });
  }

  private assuranceErrors(dto: IncidentEventDto): FieldError[] {
    const known = Object.keys(this.catalog.notices.assurances);
    return (dto.assurances ?? []).flatMap((id, i): FieldError[] =>
      known.includes(id)
        ? []
        : [
            {
              field: `assurances[${i}]`,
              reason: `unknown assurance ${id}; known assurances: ${known.join(', ')}`,
            },
          ],
    );
  }

  private localeErrors(dto: IncidentEventDto): FieldError[] {
    const { locales, defaultLocale } = this.catalog;
    const errors: FieldError[] = [];
    if (dto.message && !Object.hasOwn(dto.message, defaultLocale)) {
      errors.push({ field: 'message', reason: `must include the default locale ${defaultLocale}` });
    }
    for (const name of ['message', 'title', 'advice'] as const) {
      for (const locale of Object.keys(dto[name] ?? {})) {
        if (!locales.includes(locale)) {
          errors.push({
            field: `${name}.${locale}`,
            reason: `unsupported locale ${locale}; supported locales: ${locales.join(', ')}`,
          });
        }
      }
    }
    return errors;
  }
}
