import { pipeline } from 'node:stream/promises';
import { Controller, Get, Logger, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Scopes } from '../access/caller';
import { EVIDENCE_MEDIA_TYPES, EvidenceExport } from './evidence-export';
import { EvidenceQueryDto } from './evidence.dto';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('v1/incidents')
export class EvidenceController {
  private readonly logger = new Logger(EvidenceController.name);

  constructor(private readonly evidence: EvidenceExport) {}

  @Get(':id/evidence')
  @Scopes('audit:read')
  @ApiOperation({
    summary: "An incident's evidence, streamed: every delivery of its notices, its events, its audit entries",
    description:
      'One record per line (NDJSON) or row (CSV). The last line is the SHA-256 of every byte before it: ' +
      '`{"record":"sha256","sha256":"…"}` or `sha256,…`. `id` is the incident id or its public reference.',
  })
  @ApiProduces(...Object.values(EVIDENCE_MEDIA_TYPES))
  @ApiNotFoundResponse({ description: 'No incident with this id or reference.' })
  async export(
    @Param('id') id: string,
    @Query() query: EvidenceQueryDto,
    @Res() res: Response,
  ): Promise<void> {
    const format = query.format ?? 'ndjson';
    const { ref, body } = await this.evidence.open(id, format);
    res.setHeader('Content-Type', EVIDENCE_MEDIA_TYPES[format]);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="evidence-${ref.replace(/[^\w.-]/g, '_')}.${format}"`,
    );
    try {
      await pipeline(body, res);
    } catch (err) {
      // Headers are gone; the cut-off body has no hash line, so its reader sees it is incomplete.
      this.logger.error(`evidence export of ${ref} stopped: ${(err as Error).message}`);
    }
  }
}
