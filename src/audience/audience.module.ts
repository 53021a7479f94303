import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { AudienceController } from './audience.controller';
import { AudiencePreview } from './audience-preview.service';
import { AudienceQuery } from './audience.query';

@Module({
  imports: [EventsModule, IncidentsModule],
  controllers: [AudienceController],
  providers: [AudienceQuery, AudiencePreview],
  exports: [AudienceQuery, AudiencePreview],
})
export class AudienceModule {}
