import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { EVIDENCE_FORMATS, EvidenceFormat } from './evidence-export';

export class EvidenceQueryDto {
  @ApiPropertyOptional({ enum: EVIDENCE_FORMATS, default: 'ndjson' })
  @IsOptional()
  @IsIn(EVIDENCE_FORMATS)
  format?: EvidenceFormat;
}
