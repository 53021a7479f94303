import { Inject, Injectable, Logger } from '@nestjs/common';
import { ApiCaller } from '../access/caller';
import { AuditLog } from '../access/audit-log';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { CopyIn, CopyTransactions } from '../database/copy-transactions';
import { COPY_TRANSACTIONS, DB, Db } from '../database/database.module';
import { CheckedLines, CustomerLines, LineError } from './customer-lines';
import { CustomerBatch } from './customer-rows';
import { CustomerValidator } from './customer-validator';
import { CustomersRepository } from './customers.repository';

export interface ImportSummary {
  accepted: number;
  rejected: number;
  /** The first 100 rejected lines (customer-lines.ts). */
  errors: LineError[];
}

/**
 * Streams an NDJSON directory export into the database: each line is checked like a PUT, valid ones are
 * written in batches (one transaction each), invalid ones are reported by line number. A failed import
 * keeps the batches committed before the failure; running the same file again completes it.
 *
 * Checking a batch's lines and building its rows overlaps the write of the previous batch, and the upload is read
 * no faster than batches are written, so memory stays bounded. They run on this thread: a worker thread imported
 * faster, but its heap took the API past its RSS target (see docs/decisions/012).
 */
@Injectable()
export class CustomerImportService {
  private readonly logger = new Logger(CustomerImportService.name);

  constructor(
    @Inject(DB) private readonly db: Db,
    @Inject(COPY_TRANSACTIONS) private readonly copyTransactions: CopyTransactions | null,
    private readonly customers: CustomersRepository,
    private readonly validator: CustomerValidator,
    private readonly audit: AuditLog,
  ) {}

  async import(body: AsyncIterable<Buffer | string>, caller: ApiCaller): Promise<ImportSummary> {
    const summary: ImportSummary = { accepted: 0, rejected: 0, errors: [] };
    const writes = new SequentialWrites((batch, final) =>
      this.write(batch, final ? { caller, summary } : undefined),
    );
    const lines = new CustomerLines(this.validator);
    const take = async (checked: CheckedLines, final = false) => {
      summary.accepted += checked.accepted;
      summary.rejected += checked.rejected;
      summary.errors.push(...checked.errors);
      const last = checked.batches.length - 1;
      for (const [i, batch] of checked.batches.entries()) await writes.add(batch, final && i === last);
    };
    try {
      for await (const chunk of uploaded(body)) await take(lines.push(chunk));
      await take(lines.end(), true);
      await writes.settled();
    } catch (err) {
      await writes.idle();
      await this.recordFailure(caller, summary, writes.written, err);
      throw err;
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
