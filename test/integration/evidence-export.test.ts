import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyEvidence } from '../../src/evidence/evidence-export';
import { cliOn } from '../support/cli';
import { eventBody } from '../support/event-factory';
import { startTestApi, TestApi } from '../support/test-api';
import { startTestStack, TestStack } from '../support/test-stack';

const recently = () => new Date(Date.now() - 3 * 24 * 3600 * 1000);
const phoneOf = (i: number) => `+57302${String(1_000_000 + i).slice(1)}`;

interface Line {
  record: string;
  [field: string]: unknown;
}

/** The body as text, whatever Content-Type it came with. */
const asText = (res: { text?: string; body: unknown }) =>
  res.text ?? (Buffer.isBuffer(res.body) ? res.body.toString('utf8') : String(res.body));

describe('Evidence export', () => {
  let sut: TestStack;
  let auditor: string;
  let incidentId: string;
  const ref = `INC-EVIDENCE-${process.pid}`;
  const noticeIds: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'aviso-evidence-'));

  beforeAll(async () => {
    sut = await startTestStack({
      fcm: { unregisteredTokens: ['gone-token-0001'] },
      twilio: { unsubscribedNumbers: [phoneOf(3)], invalidNumbers: [phoneOf(6)] },
    });
    auditor = await sut.bearer('audit:read');
    await sut.customers.insertMany(
      Array.from({ length: 60 }, (_, i) => ({
        id: `EV${String(i).padStart(4, '0')}`,
        phone: phoneOf(i),
        devices: i === 0 ? ['gone-token-0001'] : i % 3 === 0 ? [] : [`live-token-${i}`],
        channels: { 'mobile-app': recently() },
      })),
    );
    const opened = await sut.postEvent(eventBody({ incidentRef: ref, occurredAt: '2026-12-01T10:00:00Z' }));
    incidentId = opened.incidentId;
    noticeIds.push(opened.noticeId);
    await sut.waitForNotice(opened.noticeId, 'done');
    const resolved = await sut.postEvent(
      eventBody({
        incidentRef: ref,
        type: 'resolved',
        channels: [{ id: 'mobile-app', status: 'restored' }],
        occurredAt: '2026-12-01T11:00:00Z',
      }),
    );
    noticeIds.push(resolved.noticeId);
    await sut.waitForNotice(resolved.noticeId, 'done');
    await sut.http.post(`/v1/notices/${resolved.noticeId}/cancel`).set('Authorization', sut.admin);
  });
  afterAll(async () => {
    await sut?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ledger = (noticeId: string) =>
    sut.db
      .selectFrom('deliveries')
      .select(['customer_id', 'medium', 'state', 'reason', 'provider_code', 'provider_message_id'])
      .where('notice_id', '=', noticeId)
      .orderBy('customer_id')
      .orderBy('medium')
      .execute();

  it('streams NDJSON: one line per delivery matching the ledger row for row, then events, audit, and its hash', async () => {
    const res = await sut.http
      .get(`/v1/incidents/${incidentId}/evidence`)
      .set('Authorization', auditor)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="evidence-${ref}.ndjson"`);
    const content = res.body as Buffer;
    expect(verifyEvidence(content)).toBe(true);
    const text = content.toString('utf8');
    const lines: Line[] = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const last = lines.pop() as Line;
    expect(last).toEqual({
      record: 'sha256',
      sha256: createHash('sha256')
        .update(text.slice(0, text.lastIndexOf('\n', text.length - 2) + 1))
        .digest('hex'),
    });

    for (const noticeId of noticeIds) {
      const rows = await ledger(noticeId);
      expect(rows.length).toBeGreaterThan(0);
      const exported = lines.filter((l) => l.record === 'delivery' && l.noticeId === noticeId);
      expect(
        exported.map((l) => ({
          customer_id: l.customerId,
          medium: l.medium,
          state: l.state,
          reason: l.reason,
          provider_code: l.providerCode,
          provider_message_id: l.providerMessageId,
        })),
      ).toEqual(rows);
    }
    const stopped = lines.find(
      (l) => l.record === 'delivery' && l.customerId === 'EV0003' && l.medium === 'sms',
    );
    expect(stopped).toMatchObject({
      state: 'failed',
      reason: 'unsubscribed',
      providerCode: '21610',
      noticeKind: 'opened',
    });
    expect(stopped?.destination).toBe('+57*****0003');
    const pushed = lines.find((l) => l.record === 'delivery' && l.customerId === 'EV0004');
    expect(pushed).toMatchObject({ medium: 'push', destination: 'live-t…(12)', state: 'sent' });
    expect(pushed?.sentAt).toEqual(expect.any(String));
    // Destinations are masked: no phone number of the directory appears whole.
    expect(Array.from({ length: 60 }, (_, i) => phoneOf(i)).filter((p) => text.includes(p))).toEqual([]);

    const kinds = lines.map((l) => l.record);
    expect(kinds.indexOf('event')).toBeGreaterThan(kinds.lastIndexOf('delivery'));
    expect(kinds.indexOf('audit')).toBeGreaterThan(kinds.lastIndexOf('event'));
    expect(lines.filter((l) => l.record === 'event').map((l) => l.eventType)).toEqual(['opened', 'resolved']);
    const actions = lines.filter((l) => l.record === 'audit').map((l) => l.action);
    expect(actions).toEqual(
      expect.arrayContaining(['event.accept', 'device.prune', 'customer.sms-consent.revoke']),
    );
    expect(actions.filter((a) => a === 'event.accept')).toHaveLength(2);
  });

  it('streams CSV by the public reference, with a header, one row per record and the hash row last', async () => {
    const res = await sut.http
      .get(`/v1/incidents/${encodeURIComponent(ref)}/evidence?format=csv`)
      .set('Authorization', auditor)
      .expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const text = asText(res);
    expect(verifyEvidence(Buffer.from(text))).toBe(true);
    const rows = text.trimEnd().split('\n');
    expect(rows[0].split(',').slice(0, 4)).toEqual(['record', 'noticeId', 'noticeKind', 'customerId']);
    expect(rows[rows.length - 1]).toMatch(/^sha256,[0-9a-f]{64}$/);
    const deliveries = (await ledger(noticeIds[0])).length + (await ledger(noticeIds[1])).length;
    expect(rows.filter((r) => r.startsWith('delivery,'))).toHaveLength(deliveries);
    expect(rows.filter((r) => r.startsWith('event,'))).toHaveLength(2);

    const tampered = Buffer.from(text.replace('delivered', 'failed'));
    expect(verifyEvidence(tampered)).toBe(false);
  });

  it('writes the same from the CLI, and the CLI checks a copy', async () => {
    const out = join(dir, 'evidence.ndjson');
    const cli = (...args: string[]) => cliOn(sut.config.env.DATABASE_URL, ...args);
    expect(await cli('evidence', '--incident', ref, '--out', out)).toEqual([
      `Wrote the evidence of ${ref} to ${out}; its last line is its SHA-256.`,
    ]);
    const content = readFileSync(out);
    const deliveries = content
      .toString('utf8')
      .split('\n')
      .filter((l) => l.startsWith('{"record":"delivery"'));
    expect(deliveries).toHaveLength(
      (await ledger(noticeIds[0])).length + (await ledger(noticeIds[1])).length,
    );
    expect(await cli('evidence:verify', '--file', out)).toEqual([`${out}: SHA-256 verified.`]);
    writeFileSync(out, content.toString('utf8').replace('"state":"sent"', '"state":"failed"'));
    await expect(cli('evidence:verify', '--file', out)).rejects.toThrow(/does not match/);
  });

  it('answers problems: unknown incident 404, bad format 400, missing audit:read 403', async () => {
    const missing = await sut.http
      .get('/v1/incidents/INC-NOPE/evidence')
      .set('Authorization', auditor)
      .expect(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    const bad = await sut.http
      .get(`/v1/incidents/${incidentId}/evidence?format=xml`)
      .set('Authorization', auditor)
      .expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'format' })]);
    const reader = await sut.bearer('incidents:read');
    await sut.http.get(`/v1/incidents/${incidentId}/evidence`).set('Authorization', reader).expect(403);
  });
});

describe('Evidence export on the embedded database', () => {
  let sut: TestApi;
  afterAll(() => sut?.close());

  it('streams past one cursor chunk on PGlite and its hash verifies', async () => {
    sut = await startTestApi('embedded');
    const writer = await sut.bearer('events:write');
    const opened = await sut.http
      .post('/v1/events')
      .set('Authorization', writer)
      .send(eventBody({ incidentRef: 'INC-EMBEDDED' }))
      .expect(202);
    // Ledger rows as the planner writes them, more than one cursor chunk (1,000) of them.
    const rows = Array.from({ length: 2_500 }, (_, i) => ({
      notice_id: opened.body.noticeId as string,
      customer_id: `E${String(i).padStart(5, '0')}`,
      batch: 1,
      medium: 'push' as const,
      state: 'pending' as const,
    }));
    for (let i = 0; i < rows.length; i += 500)
      await sut.db
        .insertInto('deliveries')
        .values(rows.slice(i, i + 500))
        .execute();

    const res = await sut.http
      .get('/v1/incidents/INC-EMBEDDED/evidence')
      .set('Authorization', await sut.bearer('audit:read'))
      .expect(200);
    const text = asText(res);
    expect(verifyEvidence(Buffer.from(text))).toBe(true);
    const deliveries = text.split('\n').filter((l) => l.startsWith('{"record":"delivery"'));
    expect(deliveries.map((l) => JSON.parse(l).customerId)).toEqual(rows.map((r) => r.customer_id));
  });
});
