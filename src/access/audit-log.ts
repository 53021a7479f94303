import { Inject, Injectable } from '@nestjs/common';
import { Kysely } from 'kysely';
import { DB, Db } from '../database/database.module';
import { Database } from '../database/schema';
import { actorOf, ApiCaller } from './caller';

interface AuditEntry {
  action: string;
  target: string;
  detail?: Record<string, unknown>;
}

/** Who changed what, and when. Pass the write's own transaction so the record and the change commit together. */
@Injectable()
export class AuditLog {
  constructor(@Inject(DB) private readonly db: Db) {}

  async record(actor: ApiCaller | string, entry: AuditEntry, trx: Kysely<Database> = this.db): Promise<void> {
    await this.insertion(trx, actor, entry).execute();
  }

  /** The record's INSERT, unexecuted, for a caller that sends it within one of its own statements. */
  insertion(trx: Kysely<Database>, actor: ApiCaller | string, entry: AuditEntry) {
    return trx.insertInto('audit_log').values({
      actor: typeof actor === 'string' ? actor : actorOf(actor),
      action: entry.action,
      target: entry.target,
      detail: entry.detail ? JSON.stringify(entry.detail) : null,
    });
  }
}
