import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { quietWindowFor } from '../config/quiet-window';
import type { NoticeToRender } from '../content/notice-parts';
import { renderNotice } from '../content/notice-renderer';
import { mediaPolicy } from '../dispatch/media-policy';
import { IncidentEventDto } from '../events/event.dto';
import { IncidentEventParser } from '../events/incident-event-parser';
import { planChange, stateOf } from '../incidents/incident-state';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { AudiencePreviewDto, PreviewMessageDto } from './audience-preview.dto';
import { AudienceQuery } from './audience.query';
import { previewTotals } from './preview-totals';

const NOTHING: Omit<AudiencePreviewDto, 'stale'> = {
  total: 0,
  push: 0,
  smsOnly: 0,
  unreachable: 0,
  channels: [],
  messages: [],
  totals: { recipients: { push: 0, sms: 0 }, heldByQuietHours: 0, smsSegments: 0, estimatedCost: 0 },
};

/** What intake would do with an event, counted and rendered instead of stored. */
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

  /** The preview, and the notice intake would store for the event (null when it would store none), to render. */
  async draft(dto: IncidentEventDto): Promise<{ counts: AudiencePreviewDto; notice: NoticeToRender | null }> {
    const event = this.parser.parse(dto);
    const incident = await this.incidents.findByRef(event.incidentRef);
    const now = new Date();
    const change = planChange(incident ? stateOf(incident) : null, event, this.config.channels, now);
    if (!change.spec) return { counts: { ...NOTHING, stale: true }, notice: null };
    const incidentId = incident?.id ?? null;
    const [counts, groups, samples] = await Promise.all([
      this.audience.counts(change.spec, incidentId),
      this.audience.groups(change.spec, incidentId),
      this.audience.samples(change.spec, incidentId),
    ]);
    const { env } = this.config;
    const quiet = quietWindowFor(env, event.severity);
    const totals = previewTotals(groups, mediaPolicy(event.severity, event.media), quiet, now);
    const notice: NoticeToRender = {
      kind: event.type,
      content: { ...event.content, channels: change.subject },
    };
    const messages = samples.map((sample): PreviewMessageDto => {
      const text = this.render(notice, sample);
      return {
        locale: sample.locale,
        sampleCustomerId: sample.customerId,
        push: { title: text.title, body: text.body },
        sms: { text: text.sms.text, dropped: text.sms.dropped, ...text.sms.count },
      };
    });
    const smsSegments = messages.reduce(
      (sum, m) => sum + m.sms.segments * (totals.smsByLocale.get(m.locale) ?? 0),
      0,
    );
    const preview: AudiencePreviewDto = {
      ...counts,
      stale: false,
      messages,
      totals: {
        recipients: totals.recipients,
        heldByQuietHours: totals.heldByQuietHours,
        smsSegments,
        estimatedCost: Math.round(smsSegments * env.SMS_SEGMENT_COST * 1e6) / 1e6,
      },
    };
    return { counts: preview, notice };
  }

  private render(notice: NoticeToRender, reader: Parameters<typeof renderNotice>[1]) {
    return renderNotice(notice, reader, this.config.channels, {
      statusPageUrl: this.config.env.STATUS_PAGE_URL,
      smsMaxSegments: this.config.env.SMS_MAX_SEGMENTS,
    });
  }
}
