import { Controller, Get, HttpCode, Inject, MessageEvent, Param, Post, Req, Sse } from '@nestjs/common';
import { concat, distinctUntilChanged, from, map, Observable, of, switchMap, takeWhile, timer } from 'rxjs';
import { Scopes } from '../access/caller';
import { NoticeApprovals } from '../approvals/notice-approvals';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { NoticeControl } from '../notices/notice-control';
import { IncidentsService } from '../incidents/incidents.service';
import { NoticesService } from '../notices/notices.service';
import { ConsolePages } from './console-pages.decorator';
import { ConsoleRequest } from './console-request';
import { renderedTexts } from './notice-texts';
import { PageContexts } from './page-context';
import { renderFragment, renderPage } from './render';
import { ApprovalsPage, DecisionResult } from './views/approvals';
import { isFinal, NoticePage, ProgressPanel } from './views/notice';

/** How often a watched notice's counts are read; one grouped count per watcher per tick. */
const PROGRESS_EVERY_MS = 1000;

@ConsolePages()
@Scopes('incidents:read')
@Controller('console')
export class NoticePagesController {
  constructor(
    private readonly notices: NoticesService,
    private readonly incidents: IncidentsService,
    private readonly control: NoticeControl,
    private readonly approvals: NoticeApprovals,
    private readonly pages: PageContexts,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('approvals')
  async approvalsPage(@Req() req: ConsoleRequest): Promise<string> {
    const waiting = (await this.notices.list({ state: 'awaiting-approval', limit: 200 })).items;
    return renderPage(
      <ApprovalsPage
        ctx={await this.pages.of(req)}
        waiting={waiting.map((notice) => ({
          notice,
          texts: renderedTexts({ kind: notice.type, content: notice.content }, this.config),
        }))}
      />,
    );
  }

  @Get('notices/:id')
  async noticePage(@Param('id') id: string, @Req() req: ConsoleRequest): Promise<string> {
    const notice = await this.notices.get(id);
    const incident = await this.incidents.get(notice.incidentId);
    return renderPage(
      <NoticePage ctx={await this.pages.of(req)} notice={notice} incidentRef={incident.ref} />,
    );
  }

  /** The progress panel, re-rendered whenever the counts move, until the notice is over; then `done` closes it. */
  @Sse('notices/:id/progress')
  progress(@Param('id') id: string, @Req() req: ConsoleRequest): Observable<MessageEvent> {
    const ctx = this.pages.light(req);
    const panels = timer(0, PROGRESS_EVERY_MS).pipe(
      switchMap(() => from(this.notices.get(id))),
      map((notice) => ({ notice, html: renderFragment(<ProgressPanel ctx={ctx} notice={notice} />) })),
      distinctUntilChanged((a, b) => a.html === b.html),
      takeWhile(({ notice }) => !isFinal(notice), true),
      map(({ html }): MessageEvent => ({ type: 'progress', data: html })),
    );
    return concat(panels, of({ type: 'done', data: '' }));
  }

  @Post('notices/:id/approve')
  @HttpCode(200)
  @Scopes('notices:approve')
  async approve(@Param('id') id: string, @Req() req: ConsoleRequest): Promise<string> {
    await this.approvals.approve(id, this.personOf(req));
    return renderFragment(<DecisionResult ctx={this.pages.light(req)} approved />);
  }

  @Post('notices/:id/reject')
  @HttpCode(200)
  @Scopes('notices:approve')
  async reject(@Param('id') id: string, @Req() req: ConsoleRequest): Promise<string> {
    await this.approvals.reject(id, this.personOf(req));
    return renderFragment(<DecisionResult ctx={this.pages.light(req)} approved={false} />);
  }

  @Post('notices/:id/cancel')
  @HttpCode(200)
  @Scopes('events:write')
  async cancel(@Param('id') id: string, @Req() req: ConsoleRequest): Promise<string> {
    await this.control.cancel(id, this.personOf(req));
    return renderFragment(<ProgressPanel ctx={this.pages.light(req)} notice={await this.notices.get(id)} />);
  }

  @Post('notices/:id/retry-failed')
  @HttpCode(200)
  @Scopes('events:write')
  async retryFailed(@Param('id') id: string, @Req() req: ConsoleRequest): Promise<string> {
    await this.control.retryFailed(id, this.personOf(req));
    return renderFragment(<ProgressPanel ctx={this.pages.light(req)} notice={await this.notices.get(id)} />);
  }

  private personOf(req: ConsoleRequest) {
    if (!req.person) throw new Error('ConsoleGuard lets no one through without a person');
    return req.person;
  }
}
