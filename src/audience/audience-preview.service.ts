import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { NoticeToRender } from '../content/notice-parts';
import { IncidentEventDto } from '../events/event.dto';
import { IncidentEventParser } from '../events/incident-event-parser';
import { planChange, stateOf } from '../incidents/incident-state';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { AudiencePreviewDto } from './audience-preview.dto';
import { AudienceQuery } from './audience.query';

/** What intake would do with an event, counted instead of stored. */
@Injectable()
export class AudiencePreview {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly parser: IncidentEventParser,
    private readonly incidents: IncidentsRepository,
    private readonly audience: AudienceQuery,
  ) {}

  async preview(dto: IncidentEventDto): Promise<AudiencePreviewDto> {
    return (await this.draft(dto)).counts;
  }

  /** The counts, and the notice intake would store for the event (null when it would store none), to render. */
  async draft(dto: IncidentEventDto): Promise<{ counts: AudiencePreviewDto; notice: NoticeToRender | null }> {
    const event = this.parser.parse(dto);
    const incident = await this.incidents.findByRef(event.incidentRef);
    const change = planChange(incident ? stateOf(incident) : null, event, this.config.channels, new Date());
    if (!change.spec) {
      return {
        counts: { total: 0, push: 0, smsOnly: 0, unreachable: 0, channels: [], stale: true },
        notice: null,
      };
    }
    const counts = { ...(await this.audience.counts(change.spec, incident?.id ?? null)), stale: false };
    return { counts, notice: { kind: event.type, content: { ...event.content, channels: change.subject } } };
  }
}
