import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Scopes } from '../access/caller';
import { AudiencePreview } from '../audience/audience-preview.service';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { ChannelStatus, EventType } from '../database/schema';
import { EventIntake } from '../events/event-intake.service';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { ConsolePages } from './console-pages.decorator';
import { ConsoleRequest } from './console-request';
import { eventOf, formValues } from './event-form';
import { renderedTexts } from './notice-texts';
import { PageContexts } from './page-context';
import { renderFragment, renderPage } from './render';
import { EventFormPage, EventFormValues } from './views/event-form';
import { PreviewFragment } from './views/preview';

@ConsolePages()
@Scopes('events:write')
@Controller('console/events')
export class EventPagesController {
  constructor(
    private readonly intake: EventIntake,
    private readonly preview: AudiencePreview,
    private readonly incidents: IncidentsRepository,
    private readonly pages: PageContexts,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A blank form, or one for the next event of an incident: its channels and regions as they stand. */
  @Get('new')
  async form(
    @Req() req: ConsoleRequest,
    @Query('incident') ref?: string,
    @Query('type') type?: string,
    @Query('restore') restore?: string,
  ): Promise<string> {
    const values: EventFormValues = {
      eventId: `console-${randomUUID()}`,
      incidentRef: ref ?? '',
      type: type === 'updated' || type === 'resolved' ? (type as EventType) : 'opened',
      severity: 'major',
      channels: {},
      regions: '',
      message: {},
    };
    const incident = ref ? await this.incidents.findByRef(ref) : undefined;
    if (incident) {
      values.severity = incident.severity;
      values.regions = incident.regions?.join(', ') ?? '';
      const closing = values.type === 'resolved' || restore === '1';
      for (const c of incident.channels) {
        values.channels[c.id] = closing ? 'restored' : (c.status as ChannelStatus);
      }
    }
    return renderPage(
      <EventFormPage ctx={await this.pages.of(req)} catalog={this.config.channels} values={values} />,
    );
  }

  /** The live preview beside the form: who would be told, and what each medium would carry. Stores nothing. */
  @Post('preview')
  async previewFragment(@Req() req: ConsoleRequest, @Body() body: Record<string, unknown>): Promise<string> {
    const t = this.pages.light(req).t;
    const values = formValues(body, this.config.channels);
    let event;
    try {
      event = await eventOf(values);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return renderFragment(
        <PreviewFragment
          t={t}
          model={null}
          problems={err.errors.length ? err.errors : [{ field: '', reason: err.message }]}
        />,
      );
    }
    const draft = await this.preview.draft(event);
    const texts = draft.notice ? renderedTexts(draft.notice, this.config) : [];
    const { totals } = draft.counts;
    return renderFragment(
      <PreviewFragment
        t={t}
        model={{
          audience: draft.counts,
          texts,
          threshold: this.config.env.APPROVAL_THRESHOLD,
          smsSegments: totals.smsSegments,
          estimatedCost: this.config.env.SMS_SEGMENT_COST > 0 ? totals.estimatedCost : null,
          heldByQuietHours: totals.heldByQuietHours,
        }}
      />,
    );
  }

  @Post()
  async submit(
    @Req() req: ConsoleRequest,
    @Res() res: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const values = formValues(body, this.config.channels);
    const person = req.person;
    if (!person) throw new Error('ConsoleGuard lets no one through without a person');
    try {
      const receipt = await this.intake.accept(await eventOf(values), person);
      if (!receipt.noticeId) {
        res.redirect(303, `/console/incidents/${receipt.incidentId}`);
        return;
      }
      res.redirect(303, `/console/notices/${receipt.noticeId}`);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const status = err.code === ErrorCode.Conflict ? 409 : 400;
      res
        .status(status)
        .type('html')
        .send(
          renderPage(
            <EventFormPage
              ctx={await this.pages.of(req)}
              catalog={this.config.channels}
              values={values}
              error={{ message: err.message, errors: err.errors }}
            />,
          ),
        );
    }
  }
}
