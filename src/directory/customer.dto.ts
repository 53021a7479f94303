import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CUSTOMER_ID_PATTERN, MAX_DEVICES, MAX_TOKEN_LENGTH, PLATFORMS } from './customer';

// OpenAPI descriptions only: requests are checked by CustomerValidator, the path shared with the import.

class DeviceDto {
  @ApiProperty({ minLength: 1, maxLength: MAX_TOKEN_LENGTH, description: 'FCM registration token' })
  token!: string;

  @ApiProperty({ enum: PLATFORMS })
  platform!: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-20T12:00:00Z' })
  lastSeen?: string;
}

class ConsentDto {
  @ApiPropertyOptional({ default: false })
  push?: boolean;

  @ApiPropertyOptional({ default: false })
  sms?: boolean;
}

export class CustomerDto {
  @ApiPropertyOptional({
    pattern: CUSTOMER_ID_PATTERN.source,
    description:
      'The bank’s customer id; required on import lines, and must repeat the path id on PUT if given',
    example: 'C0000001',
  })
  id?: string;

  @ApiPropertyOptional({ description: 'One of the channel catalog’s locales', default: 'es-CO' })
  locale?: string;

  @ApiPropertyOptional({ description: 'IANA time zone', default: 'America/Bogota' })
  timeZone?: string;

  @ApiPropertyOptional({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', example: 'antioquia' })
  region?: string;

  @ApiPropertyOptional({ description: 'E.164 number', example: '+573001234567' })
  phone?: string;

  @ApiPropertyOptional({ type: [DeviceDto], maxItems: MAX_DEVICES })
  devices?: DeviceDto[];

  @ApiPropertyOptional({ type: ConsentDto, description: 'A missing flag means no consent' })
  consent?: ConsentDto;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', format: 'date-time' },
    description: 'Channel id from the catalog → when the customer last used it',
    example: { 'mobile-app': '2026-11-20T12:00:00Z', 'interbank-transfers': '2026-10-01T08:00:00Z' },
  })
  channels?: Record<string, string>;
}

export class StoredCustomerDto extends CustomerDto {
  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

class FieldErrorDto {
  @ApiProperty({ example: 'devices[0].platform' })
  field!: string;

  @ApiProperty({ example: 'must be one of: android, ios, web' })
  reason!: string;
}

class LineErrorsDto {
  @ApiProperty({ description: '1-based line number in the upload' })
  line!: number;

  @ApiProperty({ type: [FieldErrorDto] })
  errors!: FieldErrorDto[];
}

export class ImportSummaryDto {
  @ApiProperty({ description: 'Valid lines, all stored (a later line with the same id wins)' })
  accepted!: number;

  @ApiProperty()
  rejected!: number;

  @ApiProperty({ type: [LineErrorsDto], description: 'The first 100 rejected lines' })
  errors!: LineErrorsDto[];
}
