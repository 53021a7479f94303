import { Module } from '@nestjs/common';
import { StatusController } from './status.controller';
import { StatusPublisher } from './status-publisher';
import { StatusRepository } from './status.repository';

/** Writes the public status snapshot; every process that changes incidents imports it. */
@Module({ providers: [StatusRepository, StatusPublisher], exports: [StatusPublisher] })
export class StatusModule {}

/** Serves the snapshot; the API process only. */
@Module({ imports: [StatusModule], controllers: [StatusController] })
export class StatusPageModule {}
