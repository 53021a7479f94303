import { Inject, Injectable } from '@nestjs/common';
import { ApiCaller } from '../access/caller';
import { AuditLog } from '../access/audit-log';
import { DomainError } from '../common/errors/domain-error';
import { DB, Db } from '../database/database.module';
import { CUSTOMER_ID_PATTERN, StoredCustomer } from './customer';
import { CustomerValidator } from './customer-validator';
import { CustomersRepository } from './customers.repository';

/** Single-customer writes from upstream systems; each commits together with its audit entry. */
@Injectable()
export class DirectoryService {
  constructor(
    @Inject(DB) private readonly db: Db,
    private readonly customers: CustomersRepository,
    private readonly validator: CustomerValidator,
    private readonly audit: AuditLog,
  ) {}

  /** Creates or replaces the customer, including their devices and channel activity. */
  async upsert(id: string, body: unknown, caller: ApiCaller): Promise<StoredCustomer> {
    const { customer, errors } = this.validator.check(body, id);
    if (errors) throw DomainError.validation(errors, 'The customer has invalid fields.');
    return this.db.transaction().execute(async (trx) => {
      await this.customers.upsertMany([customer], trx);
      await this.audit.record(
        caller,
        {
          action: 'customer.upsert',
          target: customer.id,
          detail: { devices: customer.devices.length, channels: Object.keys(customer.channels) },
        },
        trx,
      );
      const stored = await this.customers.find(customer.id, trx);
      if (!stored) throw new Error(`Customer ${customer.id} is missing right after its upsert`);
      return stored;
    });
  }

  async delete(id: string, caller: ApiCaller): Promise<void> {
    // An id no customer can have (a NUL would not even reach the database) is simply not found.
    if (!CUSTOMER_ID_PATTERN.test(id)) throw DomainError.notFound('Customer', id);
    await this.db.transaction().execute(async (trx) => {
      if (!(await this.customers.delete(id, trx))) throw DomainError.notFound('Customer', id);
      await this.audit.record(caller, { action: 'customer.delete', target: id }, trx);
    });
  }
}
