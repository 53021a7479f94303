import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { renderStatusPage } from './status-page';
import { buildSnapshot, StatusSnapshot } from './status-snapshot';
import { StatusRepository } from './status.repository';

/** The snapshot's files under STATUS_DIR: what the API serves and what a static host can be synced from. */
export function statusFiles(statusDir: string) {
  const root = resolve(statusDir);
  return {
    root,
    json: join(root, 'status.json'),
    /** The default locale's page. */
    index: join(root, 'index.html'),
    page: (locale: string) => join(root, locale, 'index.html'),
  };
}

/**
 * Builds start at least this far apart. Each build reads every incident shown, so under a storm of events
 * back-to-back builds took a steady share of the API's and PostgreSQL's CPU; the page still follows within a second.
 */
const STATUS_BUILD_GAP_MS = 1_000;

/**
 * Writes the public status snapshot from the database, in the API (events, decisions, cancels) and in workers
 * (notices released by the planner, expiries). Requests made while one is being written are folded into one more
 * run after it (and STATUS_BUILD_GAP_MS after its start), so the last one sees them all.
 */
@Injectable()
export class StatusPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(StatusPublisher.name);
  private running: Promise<void> | null = null;
  private again = false;
  private lastStartedAt = -Infinity;
  private closing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly incidents: StatusRepository,
  ) {}

  /** Resolves once a snapshot built after this call is on disk (or its failure is logged). */
  request(): Promise<void> {
    this.again = true;
    this.running ??= this.runWhileRequested().finally(() => (this.running = null));
    return this.running;
  }

  onApplicationShutdown(): void {
    this.closing = true;
  }

  private async runWhileRequested(): Promise<void> {
    while (this.again) {
      const wait = this.lastStartedAt + STATUS_BUILD_GAP_MS - Date.now();
      // Unref'd: a build that is only waiting its turn does not keep a stopping process alive.
      if (wait > 0) await sleep(wait, undefined, { ref: false });
      // The database is going away; the next process to start writes the snapshot again.
      if (this.closing) return;
      this.again = false;
      this.lastStartedAt = Date.now();
      try {
        await this.publish();
      } catch (err) {
        // The change itself is committed; the next change or restart writes the snapshot again.
        this.logger.error(`status snapshot not written: ${(err as Error).message}`);
      }
    }
  }

  private async publish(): Promise<void> {
    const now = new Date();
    await this.incidents.withIncidentsToShow(now, (incidents) =>
      this.write(buildSnapshot(incidents, this.config.channels, now)),
    );
  }

  private async write(snapshot: StatusSnapshot): Promise<void> {
    const files = statusFiles(this.config.env.STATUS_DIR);
    const zone = this.config.env.STATUS_TIME_ZONE;
    const { locales, defaultLocale } = this.config.channels;
    // Pages first, the JSON last: a reader of status.json never sees data newer than the pages.
    for (const locale of locales) {
      await writeAtomically(files.page(locale), renderStatusPage(snapshot, locale, zone));
    }
    await writeAtomically(files.index, renderStatusPage(snapshot, defaultLocale, zone));
    await writeAtomically(files.json, `${JSON.stringify(snapshot, null, 2)}\n`);
  }
}

/** Write, then rename over the old file: a reader gets the old file or the new one, never half of one. */
async function writeAtomically(file: string, content: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, content);
    await rename(temporary, file);
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  }
}
