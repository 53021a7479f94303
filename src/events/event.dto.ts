import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import type { ChannelStatus, EventType, Medium, Severity } from '../database/schema';
import { IsLocalizedText } from './localized-text.validator';

const EVENT_TYPES: EventType[] = ['opened', 'updated', 'resolved'];
const SEVERITIES: Severity[] = ['critical', 'major', 'minor'];
const CHANNEL_STATUSES: ChannelStatus[] = ['down', 'degraded', 'restored'];
const MEDIA: Medium[] = ['push', 'sms'];

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

const TEXT_LIMITS = { message: 1000, title: 100, advice: 300 } as const;
/** Regions one event may name: each becomes a query parameter of the audience query, which PostgreSQL caps. */
const MAX_REGIONS = 500;

const localized = (description: string, maxLength: number, example: Record<string, string>) => ({
  type: 'object' as const,
  additionalProperties: { type: 'string', minLength: 1, maxLength },
  description: `${description} Keys are catalog locales; at most ${maxLength} characters each.`,
  example,
});

class EventChannelDto {
  @ApiProperty({ description: 'A channel id from the channel catalog.', example: 'mobile-app' })
  @IsString()
  id!: string;

  @ApiProperty({ enum: CHANNEL_STATUSES, example: 'down' })
  @IsIn(CHANNEL_STATUSES)
  status!: ChannelStatus;
}

/** An incident event as upstream monitoring systems send it. */
export class IncidentEventDto {
  @ApiProperty({
    description: 'Unique per event; sending the same id again is answered as a duplicate.',
    pattern: '^[A-Za-z0-9._:-]{1,128}$',
    example: 'evt-20261125-0001',
  })
  @IsString()
  @Matches(/^[A-Za-z0-9._:-]{1,128}$/, { message: 'id must be 1 to 128 characters of A-Z a-z 0-9 . _ : -' })
  id!: string;

  @ApiProperty({ description: 'Events with the same ref belong to one incident.', example: 'INC-4821' })
  @IsString()
  @Length(1, 64)
  incidentRef!: string;

  @ApiProperty({ enum: EVENT_TYPES })
  @IsIn(EVENT_TYPES)
  type!: EventType;

  @ApiProperty({ enum: SEVERITIES })
  @IsIn(SEVERITIES)
  severity!: Severity;

  @ApiProperty({
    type: [EventChannelDto],
    description: 'Channels whose status this event reports, each once; at most the catalog’s channels.',
  })
  @IsArray()
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => EventChannelDto)
  channels!: EventChannelDto[];

  @ApiPropertyOptional({
    type: [String],
    description: `Region slugs, at most ${MAX_REGIONS}; absent means everywhere.`,
    maxItems: MAX_REGIONS,
    example: ['antioquia'],
  })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(MAX_REGIONS)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  @Matches(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { each: true, message: 'regions must be lowercase slugs' })
  regions?: string[];

  @ApiPropertyOptional(
    localized(
      "Notice text; must include the default locale. Absent: the catalog's template for the notice's kind speaks.",
      TEXT_LIMITS.message,
      { 'es-CO': 'Nuestra app presenta fallas.', en: 'Our app is failing.' },
    ),
  )
  @IsOptional()
  @IsLocalizedText(TEXT_LIMITS.message)
  message?: Record<string, string>;

  @ApiPropertyOptional(localized('Short title.', TEXT_LIMITS.title, { 'es-CO': 'Fallas en la app' }))
  @IsOptional()
  @IsLocalizedText(TEXT_LIMITS.title)
  title?: Record<string, string>;

  @ApiPropertyOptional(
    localized('What the customer can do meanwhile.', TEXT_LIMITS.advice, {
      'es-CO': 'Tu dinero está seguro.',
    }),
  )
  @IsOptional()
  @IsLocalizedText(TEXT_LIMITS.advice)
  advice?: Record<string, string>;

  @ApiPropertyOptional({
    type: [String],
    description: "Catalog assurance ids, each told as a short sentence in the customer's language.",
    example: ['funds-safe', 'no-cyberattack'],
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  assurances?: string[];

  @ApiPropertyOptional({
    description:
      "When the next update is due; told in each customer's time zone. ISO-8601 with a UTC offset.",
    example: '2026-11-25T14:00:00Z',
  })
  @IsOptional()
  @Matches(ISO_WITH_OFFSET, { message: 'nextUpdateAt must be an ISO-8601 date-time with an offset' })
  @IsISO8601({ strict: true })
  nextUpdateAt?: string;

  @ApiPropertyOptional({ enum: MEDIA, isArray: true, description: 'Restricts the notice to these media.' })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(MEDIA, { each: true })
  media?: Medium[];

  @ApiProperty({
    description: 'ISO-8601 with a UTC offset; at most EVENT_MAX_CLOCK_SKEW seconds in the future.',
    example: '2026-11-25T10:00:00Z',
  })
  @Matches(ISO_WITH_OFFSET, {
    message: 'occurredAt must be an ISO-8601 date-time with an offset, e.g. 2026-11-25T10:00:00Z',
  })
  @IsISO8601({ strict: true })
  occurredAt!: string;
}
