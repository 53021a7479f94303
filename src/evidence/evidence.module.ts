import { Module } from '@nestjs/common';
import { EvidenceController } from './evidence.controller';
import { EvidenceExport } from './evidence-export';
import { EvidenceRepository } from './evidence.repository';

@Module({
  controllers: [EvidenceController],
  providers: [EvidenceRepository, EvidenceExport],
  exports: [EvidenceExport],
})
export class EvidenceModule {}
