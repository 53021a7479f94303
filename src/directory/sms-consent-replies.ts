import { Injectable } from '@nestjs/common';
import { CustomersRepository } from './customers.repository';

export interface ConsentReply {
  /** The number the reply came from (E.164, as Twilio gives it). */
  phone: string;
  consent: boolean;
  keyword: string;
  messageSid: string;
}

/**
 * A customer's SMS reply STOP (or START): every customer with that phone number loses (or regains) SMS consent, and
 * each change is audited in the same statement, so the log never misses one.
 */
@Injectable()
export class SmsConsentReplies {
  constructor(private readonly customers: CustomersRepository) {}

  /** The ids of the customers whose consent changed. */
  apply({ phone, consent, keyword, messageSid }: ConsentReply): Promise<string[]> {
    return this.customers.setSmsConsentByPhone(phone, consent, { keyword, messageSid });
  }
}
