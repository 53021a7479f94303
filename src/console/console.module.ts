import { Module } from '@nestjs/common';
import { ApprovalsModule } from '../approvals/approvals.module';
import { AudienceModule } from '../audience/audience.module';
import { EventsModule } from '../events/events.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { NoticesModule } from '../notices/notices.module';
import { PeopleModule } from '../people/people.module';
import { ConsoleAssetsController } from './assets.controller';
import { EventPagesController } from './event-pages.controller';
import { IncidentPagesController } from './incident-pages.controller';
import { NoticePagesController } from './notice-pages.controller';
import { PageContexts } from './page-context';
import { SignIn } from './sign-in';
import { SignInController } from './sign-in.controller';

/**
 * The incident managers' console at /console: server-rendered pages over the same services as the API, acting as
 * the signed-in person, so every rule (validation, approval, audit) is the API's own.
 */
@Module({
  imports: [PeopleModule, EventsModule, IncidentsModule, NoticesModule, ApprovalsModule, AudienceModule],
  controllers: [
    ConsoleAssetsController,
    SignInController,
    IncidentPagesController,
    EventPagesController,
    NoticePagesController,
  ],
  providers: [PageContexts, SignIn],
})
export class ConsoleModule {}
