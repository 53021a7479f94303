import { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { sql } from 'kysely';
import { eventBody } from '../support/event-factory';
import { startTestStack, TestStack } from '../support/test-stack';
import { until } from '../support/until';

const CUSTOMERS = 3_000;
const PUSH_CONCURRENCY = 2;
const SMS_CONCURRENCY = 2;
const BATCH = 500;
/** An SMS batch has at most two chunks of 50 unrecorded: the one going out and the one being recorded. */
const SMS_UNRECORDED = 2 * 50;

/** Accepted pushes per token: the customer's view of how often they were told. */
function receipts(stack: TestStack): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of stack.sims.fcm.received().records) {
    if (r.status === 200) counts.set(r.token as string, (counts.get(r.token as string) ?? 0) + 1);
  }
  return counts;
}

async function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return { code: child.exitCode, signal: child.signalCode };
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  return { code, signal };
}

describe('Dispatch: worker crashes and shutdowns', () => {
  let sut: TestStack;

  beforeEach(async () => {
    sut = await startTestStack({
      worker: false,
      env: {
        WORKER_PUSH_CONCURRENCY: String(PUSH_CONCURRENCY),
        WORKER_SMS_CONCURRENCY: String(SMS_CONCURRENCY),
        SMS_RATE_PER_SEC: '100000',
        WORKER_LOCK_MS: '2000',
      },
      fcm: { latencyMs: 150, jitterMs: 100 },
    });
    await sut.customers.insertMany(
      Array.from({ length: CUSTOMERS }, (_, i) => ({
        id: `W${String(i).padStart(5, '0')}`,
        devices: [`tok-W${i}`],
        phone: `+5730${String(10_000_000 + i).slice(1)}`,
        channels: { 'mobile-app': new Date(Date.now() - 3_600_000) },
      })),
    );
  });
  afterEach(() => sut.close());

  it('SIGKILL mid-notice: another worker finishes it; every recipient ends sent, resends stay within the bound', async () => {
    const doomed = sut.spawnWorker();
    const { noticeId } = await sut.postEvent(eventBody());
    await until('the first pushes', () => sut.sims.fcm.stats().accepted >= BATCH, 60_000);
    doomed.kill('SIGKILL');
    expect((await exitOf(doomed)).signal).toBe('SIGKILL');
    const sentBeforeKill = sut.sims.fcm.stats().accepted;
    expect(sentBeforeKill).toBeLessThan(CUSTOMERS);

    sut.spawnWorker();
    await sut.waitForNotice(noticeId, 'done', 90_000);

    const rows = await sut.deliveries(noticeId);
    expect(rows).toHaveLength(CUSTOMERS);
    expect(rows.filter((r) => r.state !== 'sent')).toEqual([]);
    const counts = receipts(sut);
    expect(counts.size).toBe(CUSTOMERS);
    const resent = [...counts.values()].reduce((n, c) => n + c - 1, 0);
    // README: a killed worker may resend at most the batches it had in flight.
    expect(resent).toBeLessThanOrEqual(PUSH_CONCURRENCY * BATCH);
  });

  it("SIGKILL mid-notice of a critical notice: both media reach everyone once, resends within each medium's bound", async () => {
    const doomed = sut.spawnWorker();
    const { noticeId } = await sut.postEvent(eventBody({ severity: 'critical' }));
    await until('the first pushes', () => sut.sims.fcm.stats().accepted >= BATCH, 60_000);
    doomed.kill('SIGKILL');
    await exitOf(doomed);

    sut.spawnWorker();
    await sut.waitForNotice(noticeId, 'done', 120_000);
    const rows = await sut.deliveries(noticeId);
    expect(rows).toHaveLength(2 * CUSTOMERS);
    expect(rows.filter((r) => r.state !== 'sent' && r.state !== 'delivered')).toEqual([]);
    const pushes = receipts(sut);
    expect(pushes.size).toBe(CUSTOMERS);
    expect([...pushes.values()].reduce((n, c) => n + c - 1, 0)).toBeLessThanOrEqual(PUSH_CONCURRENCY * BATCH);
    const sms = new Map<string, number>();
    for (const r of sut.sims.twilio.received().records)
      if (r.status === 201) sms.set(r.to, (sms.get(r.to) ?? 0) + 1);
    expect(sms.size).toBe(CUSTOMERS);
    expect([...sms.values()].reduce((n, c) => n + c - 1, 0)).toBeLessThanOrEqual(
      SMS_CONCURRENCY * SMS_UNRECORDED,
    );
  });

  it('SIGTERM mid-notice: the worker finishes its batches and exits; a new worker completes the rest with no resend', async () => {
    const leaving = sut.spawnWorker();
    const { noticeId } = await sut.postEvent(eventBody());
    await until('the first pushes', () => sut.sims.fcm.stats().count >= 1, 60_000);
    const stoppedAt = Date.now();
    leaving.kill('SIGTERM');
    const exit = await exitOf(leaving);
    expect(Date.now() - stoppedAt).toBeLessThan(20_000);
    // Nest re-raises the signal once its shutdown hooks have run.
    expect(exit.signal ?? exit.code).toBe('SIGTERM');
    expect(sut.sims.fcm.stats().inFlight).toBe(0);
    const left = await sut.notice(noticeId);
    const told = sut.sims.fcm.stats().accepted;
    expect(left.state === 'planning' || told < CUSTOMERS).toBe(true);

    sut.spawnWorker();
    await sut.waitForNotice(noticeId, 'done', 90_000);
    expect((await sut.deliveries(noticeId)).filter((r) => r.state !== 'sent')).toEqual([]);
    const counts = receipts(sut);
    expect(counts.size).toBe(CUSTOMERS);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
  });

  it('a notice whose completion check was lost with its worker is completed by the recovery sweep', async () => {
    await sut.startWorker();
    const { noticeId } = await sut.postEvent(eventBody());
    await sut.waitForNotice(noticeId, 'done', 90_000);
    // As if the worker had died after recording the last batch and before its deferred completion check.
    await sql`UPDATE notices SET state = 'sending', finished_at = NULL WHERE id = ${noticeId}`.execute(
      sut.db,
    );
    await sut.waitForNotice(noticeId, 'done', 15_000);
  });
});
