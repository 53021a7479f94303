import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { NoticesModule } from '../notices/notices.module';
import { StatusModule } from '../status/status.module';
import { EventIntake } from './event-intake.service';
import { EventsController } from './events.controller';
import { EventsRepository } from './events.repository';
import { IncidentEventParser } from './incident-event-parser';

@Module({
  imports: [IncidentsModule, NoticesModule, StatusModule],
  controllers: [EventsController],
  providers: [EventIntake, EventsRepository, IncidentEventParser],
  exports: [IncidentEventParser, EventIntake],
})
export class EventsModule {}
