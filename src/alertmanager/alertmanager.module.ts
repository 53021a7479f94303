import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { AlertmanagerController } from './alertmanager.controller';
import { AlertmanagerIntake } from './alertmanager-intake.service';

/** Prometheus Alertmanager's webhook: alert groups in, incident events out, through the event intake. */
@Module({
  imports: [EventsModule, IncidentsModule],
  controllers: [AlertmanagerController],
  providers: [AlertmanagerIntake],
})
export class AlertmanagerModule {}
