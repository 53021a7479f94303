import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AuditLog } from '../access/audit-log';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { REDIS } from '../queues/job-queue';
import { IDENTITY_PROVIDER, IdentityProvider } from '../people/identity-provider';
import { OpenedSession, Sessions } from '../people/sessions';
import { Person } from '../people/person';

/** Failed sign-ins allowed per account and address, and per address, in a quarter of an hour. */
const PER_ACCOUNT = 5;
const PER_ADDRESS = 30;
const WINDOW_SECONDS = 15 * 60;

/**
 * Signing in and out. Failures are counted in Redis, so the limit holds across API processes: five wrong passwords
 * for one account from one address, or thirty from one address, lock further tries for the rest of the window.
 */
@Injectable()
export class SignIn {
  private readonly byAccount: RateLimiterRedis;
  private readonly byAddress: RateLimiterRedis;

  constructor(
    @Inject(IDENTITY_PROVIDER) private readonly identity: IdentityProvider,
    private readonly sessions: Sessions,
    private readonly audit: AuditLog,
    @Inject(REDIS) redis: Redis,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const keyPrefix = `${config.env.QUEUE_PREFIX}:sign-in`;
    this.byAccount = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${keyPrefix}:account`,
      points: PER_ACCOUNT,
      duration: WINDOW_SECONDS,
    });
    this.byAddress = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${keyPrefix}:address`,
      points: PER_ADDRESS,
      duration: WINDOW_SECONDS,
    });
  }

  async signIn(
    email: string,
    password: string,
    address: string,
  ): Promise<{ person: Person; session: OpenedSession }> {
    const account = `${email.trim().toLowerCase()}|${address}`;
    await this.refuseWhenLocked(account, address);
    const person = await this.identity.verify({ email, password });
    if (!person) {
      await Promise.all([this.byAccount.penalty(account), this.byAddress.penalty(address)]);
      throw new DomainError(ErrorCode.Unauthenticated, 'Unknown email or wrong password.');
    }
    await this.byAccount.delete(account);
    const session = await this.sessions.open(person);
    await this.audit.record(person, { action: 'person.sign-in', target: person.id, detail: { address } });
    return { person, session };
  }

  async signOut(token: string, person: Person): Promise<void> {
    await this.sessions.close(token);
    await this.audit.record(person, { action: 'person.sign-out', target: person.id });
  }

  private async refuseWhenLocked(account: string, address: string): Promise<void> {
    const [a, b] = await Promise.all([this.byAccount.get(account), this.byAddress.get(address)]);
    const locked = [a, b].filter(
      (r, i): r is RateLimiterRes => r !== null && r.consumedPoints >= (i === 0 ? PER_ACCOUNT : PER_ADDRESS),
    );
    if (!locked.length) return;
    const seconds = Math.ceil(Math.max(...locked.map((r) => r.msBeforeNext)) / 1000);
    throw new DomainError(
      ErrorCode.TooManyRequests,
      `Too many failed sign-ins; try again in ${Math.ceil(seconds / 60)} minutes.`,
    );
  }
}
