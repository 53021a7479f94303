import { Inject, Injectable } from '@nestjs/common';
import { AuditLog } from '../access/audit-log';
import { DB, Db } from '../database/database.module';
import { CustomersRepository } from './customers.repository';

export interface ConsentReply {
  /** The number the reply came from (E.164, as Twilio gives it). */
  phone: string;
  consent: boolean;
  keyword: string;
  messageSid: string;
}

/** Who sent the change, in the audit log: the customer, through Twilio's inbound webhook. */
const ACTOR = 'twilio:inbound-sms';

/**
 * A customer's SMS reply STOP (or START): every customer with that phone number loses (or regains) SMS consent, and
 * each change is audited in the same transaction, so the log never misses one.
 */
@Injectable()
export class SmsConsentReplies {
  constructor(
    @Inject(DB) private readonly db: Db,
    private readonly customers: CustomersRepository,
    private readonly audit: AuditLog,
  ) {}

  /** The ids of the customers whose consent was set. */
  apply(reply: ConsentReply): Promise<string[]> {
    return this.db.transaction().execute(async (trx) => {
      const ids = await this.customers.setSmsConsentByPhone(reply.phone, reply.consent, trx);
      for (const id of ids) {
        await this.audit.record(
          ACTOR,
          {
            action: reply.consent ? 'customer.sms-consent.restore' : 'customer.sms-consent.revoke',
            target: id,
            detail: { source: 'sms-reply', keyword: reply.keyword, messageSid: reply.messageSid },
          },
          trx,
        );
      }
      return ids;
    });
  }
}
