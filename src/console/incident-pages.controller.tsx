import { Controller, Get, Inject, Param, Req } from '@nestjs/common';
import { Scopes } from '../access/caller';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { IncidentsService } from '../incidents/incidents.service';
import type { NoticeSummaryDto } from '../notices/notice.dto';
import { NoticesService } from '../notices/notices.service';
import { ConsolePages } from './console-pages.decorator';
import { ConsoleRequest } from './console-request';
import { PageContexts } from './page-context';
import { renderPage } from './render';
import { IncidentPage, IncidentsPage } from './views/incidents';

@ConsolePages()
@Scopes('incidents:read')
@Controller('console/incidents')
export class IncidentPagesController {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly notices: NoticesService,
    private readonly pages: PageContexts,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async list(@Req() req: ConsoleRequest): Promise<string> {
    const page = await this.incidents.list({ limit: 100 });
    // Newest first: the first notice met for an incident is its latest.
    const latest = new Map<string, NoticeSummaryDto>();
    for (const n of (await this.notices.list({ limit: 200 })).items)
      if (!latest.has(n.incidentId)) latest.set(n.incidentId, n);
    return renderPage(
      <IncidentsPage
        ctx={await this.pages.of(req)}
        catalog={this.config.channels}
        incidents={page.items}
        latest={latest}
      />,
    );
  }

  @Get(':id')
  async one(@Param('id') id: string, @Req() req: ConsoleRequest): Promise<string> {
    const incident = await this.incidents.get(id);
    const notices = await this.notices.ofIncident(id);
    return renderPage(
      <IncidentPage
        ctx={await this.pages.of(req)}
        catalog={this.config.channels}
        incident={incident}
        notices={new Map(notices.map((n) => [n.id, n]))}
      />,
    );
  }
}
