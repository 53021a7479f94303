import { withClient } from '../support/test-database';

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
