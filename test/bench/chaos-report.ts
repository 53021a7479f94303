import { withClient } from '../support/test-database';

/** What a chaos run prints, and writes as JSON with --out. */
export interface ChaosReport extends ChaosOutcome {
  customers: number;
  reachable: number;
  seconds: number;
  /** Each fault applied, with its time from the event's acceptance. */
  chaos: string[];
  faults: Record<string, number>;
  /** Provider answers by HTTP status; 0 counts requests left hanging. */
  providerRequests: { push: Record<string, number>; sms: Record<string, number> };
  duplicateBound: number;
}

export interface ChaosOutcome {
  /** Ledger rows by `medium.state`, failed and skipped ones with their reason. */
  byState: Record<string, number>;
  /** Reachable recipients that did not end sent, delivered, or failed with a reason. */
  lost: number;
  /** Messages the providers accepted beyond the one each recorded send stands for. */
  duplicates: number;
}

/**
 * Each recipient's final state from the ledger, set against what the providers accepted. A recipient is accounted
 * for once told (sent or delivered) or failed with a reason the provider gave (or its retries ran out); anything
 * else, a pending row or no row at all, is lost.
 */
export async function ledgerOutcome(
  databaseUrl: string,
  noticeId: string,
  reachable: number,
  accepted: { push: number; sms: number },
): Promise<ChaosOutcome> {
  const { rows } = await withClient(databaseUrl, (c) =>
    c.query<{ medium: 'push' | 'sms'; state: string; reason: string | null; n: string; sends: string }>(
      `SELECT medium, state, reason, count(*) AS n, count(provider_message_id) AS sends
       FROM deliveries WHERE notice_id = $1 GROUP BY medium, state, reason`,
      [noticeId],
    ),
  );
  const byState: Record<string, number> = {};
  const sends = { push: 0, sms: 0 };
  let accounted = 0;
  for (const r of rows) {
    const n = Number(r.n);
    byState[`${r.medium}.${r.state}${r.reason ? ` ${r.reason}` : ''}`] = n;
    sends[r.medium] += Number(r.sends);
    if (r.state === 'sent' || r.state === 'delivered' || (r.state === 'failed' && r.reason)) accounted += n;
  }
  return {
    byState,
    lost: reachable - accounted,
    duplicates: accepted.push - sends.push + (accepted.sms - sends.sms),
  };
}

export function renderReport(r: ChaosReport): string {
  const rows = Object.entries(r.byState)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([state, n]) => `  ${state.padEnd(40)} ${String(n).padStart(9)}`);
  const requests = (by: Record<string, number>) =>
    Object.entries(by)
      .map(([status, n]) => `${status === '0' ? 'hung' : status}: ${n}`)
      .join(', ');
  return [
    `chaos run: ${r.customers} customers, ${r.reachable} reachable recipients`,
    ...r.chaos.map((c) => `  ${c}`),
    `provider requests: push ${requests(r.providerRequests.push)}; SMS ${requests(r.providerRequests.sms)}`,
    'final state of each recipient (medium.state reason):',
    ...rows,
    `lost: ${r.lost}`,
    `duplicates: ${r.duplicates} messages sent twice (bound for these faults: ${r.duplicateBound})`,
    `time to done: ${r.seconds.toFixed(1)} s`,
  ].join('\n');
}
