import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { sql } from 'kysely';
import { SCOPES } from '../../src/access/scopes';
import { startTestApi, TestApi } from '../support/test-api';
import { ENDPOINTS, FuzzContext, FuzzRequest } from './endpoints';

export interface FuzzOptions {
  /** Requests per endpoint. */
  runs: number;
  seed: number;
  /** Requests between two health checks. */
  batch?: number;
  /** Progress lines, one per endpoint. */
  log?: (line: string) => void;
}

interface EndpointResult {
  endpoint: string;
  requests: number;
  statuses: Record<number, number>;
  failures: string[];
}

export interface FuzzSummary {
  seed: number;
  endpoints: EndpointResult[];
  /** Database rules broken after the run, each with a count. */
  invariants: string[];
  seconds: number;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * Sends every endpoint `runs` generated requests (fast-check, a fixed seed) against the real API on its own
 * database, one at a time, and checks each answer: no 5xx, and problem JSON on every refusal. The API must answer
 * /health after each batch; afterwards the database must still hold what it promises.
 */
export async function fuzzApi(options: FuzzOptions): Promise<FuzzSummary> {
  const started = Date.now();
  const batch = options.batch ?? 500;
  const sut = await startTestApi('postgres');
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    await sut.app.listen(0, '127.0.0.1');
    const { port } = sut.app.getHttpServer().address() as AddressInfo;
    const send = (req: FuzzRequest) => sendRaw(agent, port, req);
    const keys = Object.fromEntries(
      await Promise.all(SCOPES.map(async (scope) => [scope, await sut.bearer(scope)])),
    ) as FuzzContext['keys'];
    const context: FuzzContext = { keys, noticeIds: [], incidentIds: [] };
    const receipts: Receipt[] = [];
    const endpoints: EndpointResult[] = [];
    for (const [index, endpoint] of ENDPOINTS.entries()) {
      const result: EndpointResult = { endpoint: endpoint.name, requests: 0, statuses: {}, failures: [] };
      for (let done = 0, round = 0; done < options.runs; done += batch, round++) {
        const seed = options.seed + index * 100_003 + round;
        for (const planned of fc.sample(endpoint.request, {
          numRuns: Math.min(batch, options.runs - done),
          seed,
        })) {
          const req = planned(context);
          const answer = await send(req);
          result.requests++;
          result.statuses[answer.status] = (result.statuses[answer.status] ?? 0) + 1;
          const failure = answerProblem(answer, req.method === 'HEAD');
          if (failure) result.failures.push(`${failure}: ${describe(req)} → ${answer.text.slice(0, 300)}`);
          if (answer.status === 202 && req.path === '/v1/events') remember(context, receipts, answer.text);
        }
        const health = await send({ method: 'GET', path: '/health', headers: {} });
        if (health.status !== 200) result.failures.push(`/health answered ${health.status} after a batch`);
      }
      endpoints.push(result);
      options.log?.(summaryLine(result));
    }
    return {
      seed: options.seed,
      endpoints,
      invariants: [...(await brokenInvariants(sut)), ...(await unkeptReceipts(sut, receipts))],
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    agent.destroy();
    await sut.close();
  }
}

interface Receipt {
  eventId: string;
  noticeId: string | null;
  incidentId: string;
}

function remember(context: FuzzContext, receipts: Receipt[], text: string): void {
  const receipt = JSON.parse(text) as Receipt;
  receipts.push(receipt);
  if (receipt.noticeId) context.noticeIds.push(receipt.noticeId);
  if (!context.incidentIds.includes(receipt.incidentId)) context.incidentIds.push(receipt.incidentId);
}

/** Why an answer breaks the contract, or undefined. A HEAD answer has the headers of a problem but no body. */
function answerProblem(answer: Answer, head: boolean): string | undefined {
  if (answer.status >= 500) return `${answer.status}`;
  if (answer.status < 400) return undefined;
  if (!/^application\/problem\+json/.test(String(answer.headers['content-type']))) {
    return `${answer.status} without problem JSON`;
  }
  if (head) return undefined;
  try {
    const problem = JSON.parse(answer.text) as { status?: unknown; type?: unknown; title?: unknown };
    if (
      problem.status !== answer.status ||
      typeof problem.type !== 'string' ||
      typeof problem.title !== 'string'
    ) {
      return `${answer.status} with an incomplete problem`;
    }
  } catch {
    return `${answer.status} with a problem that is not JSON`;
  }
  return undefined;
}

function sendRaw(agent: Agent, port: number, req: FuzzRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, ...(req.body && { 'content-length': String(req.body.length) }) };
    const outgoing = httpRequest(
      { host: '127.0.0.1', port, method: req.method, path: req.path, headers, agent, timeout: 60_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('no answer within 60 s')));
    outgoing.on('error', (err) => reject(new Error(`${describe(req)}: ${err.message}`)));
    outgoing.end(req.body);
  });
}

function describe(req: FuzzRequest): string {
  const body = req.body
    ? ` ${req.body.length} B ${JSON.stringify(req.body.subarray(0, 200).toString('utf8'))}`
    : '';
  return `${req.method} ${req.path.slice(0, 200)} ${JSON.stringify(req.headers)}${body}`;
}

/** The database's promises, each as a query counting the rows that break it. */
const INVARIANTS: Record<string, string> = {
  'events without their audit entry': `
    SELECT count(*) AS n FROM events e
    WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.action = 'event.accept' AND a.target = e.id)`,
  // Stale events, and older ones that no longer agree with the incident, tell nobody and have no notice.
  'events whose notice is missing': `
    SELECT count(*) AS n FROM events e
    WHERE e.notice_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM notices n WHERE n.id = e.notice_id AND n.event_id = e.id)`,
  'notices without their event': `
    SELECT count(*) AS n FROM notices n WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = n.event_id)`,
  'customers whose has_device disagrees with their devices': `
    SELECT count(*) AS n FROM customers c
    WHERE c.has_device <> EXISTS (SELECT 1 FROM devices d WHERE d.customer_id = c.id)`,
};

/** Every 202 the API gave: its event is stored, with the incident and notice the receipt named. */
async function unkeptReceipts(sut: TestApi, receipts: Receipt[]): Promise<string[]> {
  const stored = new Map<string, { incident_id: string; notice_id: string | null }>();
  for (let i = 0; i < receipts.length; i += 1_000) {
    const ids = receipts.slice(i, i + 1_000).map((r) => r.eventId);
    const rows = await sut.db
      .selectFrom('events')
      .select(['id', 'incident_id', 'notice_id'])
      .where('id', 'in', ids)
      .execute();
    for (const row of rows) stored.set(row.id, row);
  }
  const unkept = receipts.filter((r) => {
    const row = stored.get(r.eventId);
    return !row || row.incident_id !== r.incidentId || row.notice_id !== r.noticeId;
  });
  return unkept.length ? [`accepted events not stored as their receipt said: ${unkept.length}`] : [];
}

async function brokenInvariants(sut: TestApi): Promise<string[]> {
  const broken: string[] = [];
  for (const [rule, query] of Object.entries(INVARIANTS)) {
    const { rows } = await sql<{ n: string }>`${sql.raw(query)}`.execute(sut.db);
    if (Number(rows[0].n) > 0) broken.push(`${rule}: ${rows[0].n}`);
  }
  return broken;
}

function summaryLine(result: EndpointResult): string {
  const statuses = Object.entries(result.statuses)
    .map(([status, n]) => `${status}×${n}`)
    .join(' ');
  return `${result.endpoint.padEnd(44)} ${String(result.requests).padStart(6)} requests  ${statuses}  failures: ${result.failures.length}`;
}

export function formatSummary(summary: FuzzSummary): string {
  const requests = summary.endpoints.reduce((sum, e) => sum + e.requests, 0);
  const failures = summary.endpoints.flatMap((e) => e.failures);
  const fivexx = summary.endpoints.reduce(
    (sum, e) => sum + Object.entries(e.statuses).reduce((n, [s, c]) => n + (Number(s) >= 500 ? c : 0), 0),
    0,
  );
  return [
    `seed ${summary.seed}: ${requests} requests over ${summary.endpoints.length} endpoints in ${summary.seconds.toFixed(0)} s`,
    ...summary.endpoints.map(summaryLine),
    `5xx: ${fivexx}; answers breaking the contract: ${failures.length}; database invariants broken: ${summary.invariants.length}`,
    ...failures.slice(0, 10),
    ...summary.invariants,
  ].join('\n');
}
