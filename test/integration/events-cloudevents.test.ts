import { CloudEvent, HTTP, Message } from 'cloudevents';
import { eventBody } from '../support/event-factory';
import { startTestApi, TestApi } from '../support/test-api';

describe('CloudEvents on POST /v1/events', () => {
  let sut: TestApi;
  let writer: string;

  beforeAll(async () => {
    sut = await startTestApi('postgres');
    writer = await sut.bearer('events:write');
  });
  afterAll(() => sut?.close());

  const post = (message: Message) =>
    sut.http
      .post('/v1/events')
      .set('Authorization', writer)
      .set(message.headers as Record<string, string>)
      .send(message.body as string);

  /** An incident event without its own id, wrapped as the upstream bus would. */
  const cloudEvent = (overrides: Partial<ReturnType<typeof eventBody>> = {}, id = `ce-${Math.random()}`) => {
    const { id: _unused, ...data } = eventBody(overrides);
    return new CloudEvent({ id, source: '/monitoring/core', type: 'com.bank.incident', data });
  };

  it.each([
    ['binary', HTTP.binary],
    ['structured', HTTP.structured],
  ])(
    'takes a %s-mode CloudEvent, its id as the event id, and the same one twice as a duplicate',
    async (_, mode) => {
      const event = cloudEvent();
      const first = await post(mode(event)).expect(202);
      expect(first.body).toMatchObject({ eventId: event.id, duplicate: false, noticeId: expect.any(String) });
      const again = await post(mode(event)).expect(202);
      expect(again.body).toEqual({ ...first.body, duplicate: true });
      const stored = await sut.db
        .selectFrom('events')
        .select('body')
        .where('id', '=', event.id)
        .executeTakeFirst();
      expect(stored?.body).toMatchObject({ id: event.id, incidentRef: event.data?.incidentRef });
    },
  );

  it("keeps the event's own id when the data has one", async () => {
    const data = eventBody();
    const res = await post(
      HTTP.structured(new CloudEvent({ source: '/crm', type: 'incident', data })),
    ).expect(202);
    expect(res.body.eventId).toBe(data.id);
  });

  it('answers problem JSON for a CloudEvent that breaks the spec or carries no event', async () => {
    const structured = HTTP.structured(cloudEvent());
    const noSource = { ...JSON.parse(structured.body as string), source: '' };
    const bad = await post({ headers: structured.headers, body: JSON.stringify(noSource) }).expect(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.body.errors).toEqual([{ field: 'source', reason: expect.any(String) }]);

    const noId = { ...JSON.parse(structured.body as string) };
    delete noId.id;
    const anonymous = await post({ headers: structured.headers, body: JSON.stringify(noId) }).expect(400);
    expect(anonymous.body.errors).toEqual([{ field: 'id', reason: 'a CloudEvent needs an id' }]);

    const binary = HTTP.binary(cloudEvent({ severity: 'huge' as never }));
    const invalid = await post(binary).expect(400);
    expect(invalid.body.errors).toEqual([{ field: 'severity', reason: expect.any(String) }]);

    const batch = await post({
      headers: { 'content-type': 'application/cloudevents-batch+json' },
      body: `[${structured.body}]`,
    }).expect(400);
    expect(batch.body.errors).toEqual([{ field: '', reason: 'must be a JSON object' }]);
  });
});
