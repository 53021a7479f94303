import { Inject, Injectable, Logger } from '@nestjs/common';
import { ApiCaller } from '../access/caller';
import { AuditLog } from '../access/audit-log';
import { DomainError, ErrorCode, FieldError } from '../common/errors/domain-error';
import { CopyIn, CopyTransactions } from '../database/copy-transactions';
import { COPY_TRANSACTIONS, DB, Db } from '../database/database.module';
import { CustomerBatches } from './customer-batches';
import { CustomerBatch } from './customer-rows';
import { CustomerCheck, CustomerValidator } from './customer-validator';
import { CustomersRepository } from './customers.repository';
import { NdjsonLine, NdjsonLineSplitter } from './ndjson-lines';

const MAX_LINE_BYTES = 64 * 1024;
const MAX_REPORTED_ERRORS = 100;

export interface ImportSummary {
  accepted: number;
  rejected: number;
  /** The first MAX_REPORTED_ERRORS rejected lines. */
  errors: { line: number; errors: FieldError[] }[];
}

/**
 * Streams an NDJSON directory export into the database: each line is checked like a PUT, valid ones are
 * written in batches (one transaction each), invalid ones are reported by line number. A failed import
 * keeps the batches committed before the failure; running the same file again completes it.
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
    const batches = new CustomerBatches((batch, final) =>
      this.write(batch, final ? { caller, summary } : undefined),
    );
    const splitter = new NdjsonLineSplitter(MAX_LINE_BYTES);
    const take = async (lines: NdjsonLine[]) => {
      for (const line of lines) {
        const checked = this.check(line);
        if (checked.customer) {
          summary.accepted++;
          await batches.add(checked.customer);
        } else {
          summary.rejected++;
          if (summary.errors.length < MAX_REPORTED_ERRORS)
            summary.errors.push({ line: line.line, errors: checked.errors });
        }
      }
    };
    try {
      for await (const chunk of uploaded(body)) await take(splitter.push(chunk));
      await take(splitter.end());
      await batches.finish();
    } catch (err) {
      await batches.settled().catch(() => undefined);
      await this.recordFailure(caller, summary, batches.written, err);
      throw err;
    }
    return summary;
  }

  private check(line: NdjsonLine): CustomerCheck {
    if (line.tooLong)
      return { errors: [{ field: '', reason: `line is longer than ${MAX_LINE_BYTES} bytes` }] };
    let parsed: unknown;
    try {
      parsed = JSON.parse(line.text);
    } catch (err) {
      return { errors: [{ field: '', reason: `is not valid JSON: ${(err as Error).message}` }] };
    }
    return this.validator.check(parsed);
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
