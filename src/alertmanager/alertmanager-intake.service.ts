import { Inject, Injectable } from '@nestjs/common';
import { ApiCaller } from '../access/caller';
import { validateAs } from '../common/validation/validation.pipe';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { EventIntake, EventReceipt } from '../events/event-intake.service';
import { IncidentEventDto } from '../events/event.dto';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { parseAlertGroup } from './alert-group';
import { alertGroupEvent } from './alert-group-event';

/** Alertmanager notifications become incident events and go through the same intake as `POST /v1/events`. */
@Injectable()
export class AlertmanagerIntake {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly intake: EventIntake,
    private readonly incidents: IncidentsRepository,
  ) {}

  /** The event's receipt, or null when no alert of the group carries the channel label. */
  async receive(payload: unknown, caller: ApiCaller): Promise<EventReceipt | null> {
    const event = alertGroupEvent(parseAlertGroup(payload), this.config.alertmanager);
    if (!event) return null;
    // The incident is read before the id is looked up: a copy of this notification that lands in between finds
    // the id stored, and one that lands before builds the very same body, so either way it is a duplicate.
    const incident = await this.incidents.findByRef(event.incidentRef);
    const previous = await this.intake.previous(event.id);
    if (previous) return previous;
    const body = event.body(
      incident && { open: incident.status === 'open', lastEventAt: incident.last_event_at },
    );
    return this.intake.accept(await validateAs(IncidentEventDto, body, 'event'), caller);
  }
}
