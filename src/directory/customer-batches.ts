import { Customer } from './customer';
import { CustomerBatch, customerBatch } from './customer-rows';

/** Customers per transaction: large enough that round trips vanish, small enough to keep locks short. */
const BATCH_SIZE = 2_000;

/** Writes one batch; `final` is true for the last call, which may carry an empty batch. */
type BatchWrite = (batch: CustomerBatch, final: boolean) => Promise<void>;

/**
 * Groups customers into batches for bulk writes. A full batch has its rows built and starts writing while the
 * caller goes on parsing the next one, but batches are written one after another, so a later line always wins.
 */
export class CustomerBatches {
  private batch = new Map<string, Customer>();
  private inFlight: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;
  /** Customers in committed batches (after de-duplication by id within each batch). */
  written = 0;

  constructor(
    private readonly write: BatchWrite,
    private readonly size = BATCH_SIZE,
  ) {}

  async add(customer: Customer): Promise<void> {
    // Re-inserting moves the customer to the end, so iteration follows each id's latest line: the
    // columns rely on that order to give a contested device token to the latest claimant.
    this.batch.delete(customer.id);
    this.batch.set(customer.id, customer);
    if (this.batch.size < this.size) return;
    // Built before waiting: the previous batch is still in PostgreSQL meanwhile.
    const batch = this.take();
    await this.settled();
    this.inFlight = this.write(batch, false).then(
      () => void (this.written += batch.ids.length),
      (error: unknown) => void (this.failure = { error }),
    );
  }

  /** Writes what is left as the final batch and waits for every write. */
  async finish(): Promise<void> {
    const batch = this.take();
    await this.settled();
    await this.write(batch, true);
    this.written += batch.ids.length;
  }

  /** Waits for the write in flight; rethrows its failure. */
  async settled(): Promise<void> {
    await this.inFlight;
    if (this.failure) throw this.failure.error;
  }

  private take(): CustomerBatch {
    const batch = customerBatch([...this.batch.values()]);
    this.batch = new Map();
    return batch;
  }
}
