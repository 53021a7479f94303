import { Customer } from './customer';
import { CustomerBatch, customerBatch } from './customer-rows';

/** Customers per transaction: large enough that round trips vanish, small enough to keep locks short. */
const BATCH_SIZE = 2_000;

/**
 * Groups customers into batches for bulk writes, keeping each id's latest line. Written one after another, batches
 * then let a later line win across batches too.
 */
export class CustomerBatches {
  private batch = new Map<string, Customer>();

  constructor(private readonly size = BATCH_SIZE) {}

  /** Adds the customer; answers the batch once it is full. */
  add(customer: Customer): CustomerBatch | undefined {
    // Re-inserting moves the customer to the end, so iteration follows each id's latest line: the
    // rows rely on that order to give a contested device token to the latest claimant.
    this.batch.delete(customer.id);
    this.batch.set(customer.id, customer);
    return this.batch.size < this.size ? undefined : this.take();
  }

  /** What is left, as a batch that may be empty. */
  take(): CustomerBatch {
    const batch = customerBatch([...this.batch.values()]);
    this.batch = new Map();
    return batch;
  }
}
