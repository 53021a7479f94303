import { Inject, Injectable, Logger } from '@nestjs/common';
import { ApiCaller } from '../access/caller';
import { AuditLog } from '../access/audit-log';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { CopyIn, CopyTransactions } from '../database/copy-transactions';
import { COPY_TRANSACTIONS, DB, Db } from '../database/database.module';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { CheckedLines, LineError } from './customer-lines';
import { CustomerLinesWorker } from './customer-lines-worker';
import { CustomerBatch } from './customer-rows';
import { CustomersRepository } from './customers.repository';

/** Upload bytes handed to the line worker and not yet answered: a few batches' worth, so it can run ahead of writes. */
const MAX_BYTES_IN_WORKER = 4 << 20;

export interface ImportSummary {
  accepted: number;
  rejected: number;
  /** The first MAX_REPORTED_ERRORS rejected lines. */
  errors: LineError[];
}

/**
 * Streams an NDJSON directory export into the database: each line is checked like a PUT, valid ones are
 * written in batches (one transaction each), invalid ones are reported by line number. A failed import
 * keeps the batches committed before the failure; running the same file again completes it.
 *
 * Lines are checked on a worker thread (CustomerLinesWorker) while this thread receives the upload and writes
 * the previous batch; memory stays bounded because the upload is only read while the worker and the writes keep up.
 */
@Injectable()
export class CustomerImportService {
  private readonly logger = new Logger(CustomerImportService.name);

  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(COPY_TRANSACTIONS) private readonly copyTransactions: CopyTransactions | null,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly customers: CustomersRepository,
    private readonly audit: AuditLog,
  ) {}

  async import(body: AsyncIterable<Buffer | string>, caller: ApiCaller): Promise<ImportSummary> {
    const summary: ImportSummary = { accepted: 0, rejected: 0, errors: [] };
    const writes = new SequentialWrites((batch, final) =>
      this.write(batch, final ? { caller, summary } : undefined),
    );
    const lines = new CustomerLinesWorker(this.config.channels);
    const take = async (checked: CheckedLines, final = false) => {
      summary.accepted += checked.accepted;
      summary.rejected += checked.rejected;
      summary.errors.push(...checked.errors);
      const last = checked.batches.length - 1;
      for (const [i, batch] of checked.batches.entries()) await writes.add(batch, final && i === last);
    };
    const sent: { bytes: number; checked: Promise<CheckedLines> }[] = [];
    let bytesInWorker = 0;
    try {
      for await (const chunk of uploaded(body)) {
        sent.push({ bytes: chunk.length, checked: lines.push(chunk) });
        bytesInWorker += chunk.length;
        while (bytesInWorker > MAX_BYTES_IN_WORKER) {
          const oldest = sent.shift() as (typeof sent)[number];
          bytesInWorker -= oldest.bytes;
          await take(await oldest.checked);
        }
      }
      for (const { checked } of sent.splice(0)) await take(await checked);
      await take(await lines.end(), true);
      await writes.settled();
    } catch (err) {
      await writes.idle();
      await this.recordFailure(caller, summary, writes.written, err);
      throw err;
    } finally {
      await lines.close();
    }
    return summary;
  }

  /** One transaction per batch, staged by COPY on PostgreSQL; the final one also carries the import's audit entry. */
  private write(batch: CustomerBatch, last?: { caller: ApiCaller; summary: ImportSummary }): Promise<void> {
    const work = async (trx: Db, copyIn?: CopyIn) => {
      await this.customers.upsert(batch, trx, copyIn);
      if (last) {
        const { accepted, rejected } = last.summary;
        const detail = { accepted, rejected, complete: true };
        await this.audit.record(
          last.caller,
          { action: 'customers.import', target: 'customers', detail },
          trx,
        );
      }
    };
    return this.copyTransactions
      ? this.copyTransactions.run(work)
      : this.db.transaction().execute((trx) => work(trx));
  }

  private async recordFailure(caller: ApiCaller, summary: ImportSummary, written: number, err: unknown) {
    const detail = {
      complete: false,
      customersWritten: written,
      linesChecked: summary.accepted + summary.rejected,
      error: (err as Error).message,
    };
    await this.audit
      .record(caller, { action: 'customers.import', target: 'customers', detail })
      .catch((auditErr: Error) => this.logger.error(`Could not audit a failed import: ${auditErr.message}`));
  }
}

/** The body's chunks; a connection lost mid-upload is the caller's problem (400), not a server error. */
async function* uploaded(body: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of body) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
  } catch (err) {
    throw new DomainError(ErrorCode.MalformedBody, `The upload broke off: ${(err as Error).message}.`);
  }
}

/** Batches written one after another: each waits for the previous one, so a later line always wins. */
class SequentialWrites {
  private inFlight: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;
  /** Customers in committed batches (after de-duplication by id within each batch). */
  written = 0;

  constructor(private readonly write: (batch: CustomerBatch, final: boolean) => Promise<void>) {}

  /** Starts writing the batch once the previous write is done; rethrows that write's failure. */
  async add(batch: CustomerBatch, final: boolean): Promise<void> {
    await this.settled();
    this.inFlight = this.write(batch, final).then(
      () => void (this.written += batch.customers),
      (error: unknown) => void (this.failure = { error }),
    );
  }

  /** Waits for the write in flight; rethrows its failure. */
  async settled(): Promise<void> {
    await this.idle();
    if (this.failure) throw this.failure.error;
  }

  /** Waits for the write in flight, whatever its outcome. */
  idle(): Promise<void> {
    return this.inFlight;
  }
}
