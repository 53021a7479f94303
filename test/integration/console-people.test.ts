import { randomUUID } from 'node:crypto';
import type { Router } from 'express';
import { runCli } from '../../src/cli/run-cli';
import { eventBody } from '../support/event-factory';
import { ConsoleBrowser, csrfIn, signedInPerson } from '../support/console-session';
import { startTestStack, TestStack } from '../support/test-stack';

const recently = () => new Date(Date.now() - 24 * 3600 * 1000);

describe('People in the console: accounts, sessions, CSRF, roles, audit', () => {
  let sut: TestStack;
  beforeAll(async () => {
    sut = await startTestStack({ env: { APPROVAL_THRESHOLD: '1' } });
  });
  afterAll(() => sut.close());

  const cli = async (...args: string[]) => {
    const lines: string[] = [];
    await runCli(args, { ...process.env, DATABASE_URL: sut.env.DATABASE_URL, LOG_LEVEL: 'silent' }, (l) =>
      lines.push(l),
    );
    return lines;
  };

  it('opens no console page without a session, whatever API key comes along', async () => {
    const router = (sut.app.getHttpAdapter().getInstance() as { router: Router }).router;
    const routes = router.stack
      .flatMap((layer) => (layer.route ? [layer.route] : []))
      .filter((route) => typeof route.path === 'string' && route.path.startsWith('/console'))
      .flatMap((route) =>
        Object.keys((route as unknown as { methods: Record<string, boolean> }).methods).map(
          (method) => `${method.toUpperCase()} ${route.path}`,
        ),
      );
    const signedOut = [
      'GET /console/sign-in',
      'POST /console/sign-in',
      'GET /console/language',
      'GET /console/assets/console.css',
      'GET /console/assets/htmx.min.js',
      'GET /console/assets/htmx-sse.js',
    ];
    expect(routes.filter((r) => signedOut.includes(r)).sort()).toEqual([...signedOut].sort());
    for (const route of routes.filter((r) => !signedOut.includes(r))) {
      const [method, template] = route.split(' ');
      const path = template.replace(':id', randomUUID());
      const res = await sut.http[method.toLowerCase() as 'get' | 'post'](path).set(
        'Authorization',
        sut.admin,
      );
      const outcome = method === 'GET' ? [res.status, res.headers.location] : [res.status, res.body.status];
      expect({ route, outcome }).toEqual({
        route,
        outcome: method === 'GET' ? [303, '/console/sign-in'] : [401, 401],
      });
    }
  });

  it('creates a person from the CLI with a one-time password, stored only as a scrypt hash', async () => {
    const out = await cli('users:create', '--email', 'Ana@Bank.test', '--role', 'author');
    const password = out[out.length - 1];
    expect(out[0]).toMatch(/^Created author ana@bank\.test/);
    expect(password).toMatch(/^[A-Za-z0-9]{21}$/);
    const user = await sut.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'ana@bank.test')
      .executeTakeFirstOrThrow();
    expect(user.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(user.password_hash).not.toContain(password);
    expect(user.must_change_password).toBe(true);
    await expect(cli('users:create', '--email', 'ana@bank.test', '--role', 'author')).rejects.toThrow(
      /already exists/,
    );
    await expect(cli('users:create', '--email', 'nobody', '--role', 'boss')).rejects.toThrow(
      /invalid fields/,
    );
  });

  it('signs in with an HttpOnly, SameSite=Strict session cookie, Secure only over HTTPS, and asks for a new password first', async () => {
    const out = await cli('users:create', '--email', 'bea@bank.test', '--role', 'viewer');
    const password = out[out.length - 1];
    const plain = await sut.http
      .post('/console/sign-in')
      .type('form')
      .send({ email: 'bea@bank.test', password })
      .expect(303);
    expect(plain.headers.location).toBe('/console/password');
    const cookie = String(plain.headers['set-cookie']);
    expect(cookie).toMatch(/aviso_session=[\w-]+;/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/);
    const secure = await sut.http
      .post('/console/sign-in')
      .set('X-Forwarded-Proto', 'https')
      .type('form')
      .send({ email: 'bea@bank.test', password })
      .expect(303);
    expect(String(secure.headers['set-cookie'])).toMatch(/Secure/);

    const session = cookie.split(';')[0];
    const held = await sut.http.get('/console/incidents').set('Cookie', session).expect(303);
    expect(held.headers.location).toBe('/console/password');
    await sut.http.get('/console/incidents').expect(303).expect('Location', '/console/sign-in');
  });

  it('locks sign-in after five wrong passwords for an account, even with the right one', async () => {
    const out = await cli('users:create', '--email', 'carl@bank.test', '--role', 'viewer');
    const password = out[out.length - 1];
    for (let i = 0; i < 5; i++) {
      await sut.http
        .post('/console/sign-in')
        .type('form')
        .send({ email: 'carl@bank.test', password: `wrong-${i}` })
        .expect(401);
    }
    const locked = await sut.http
      .post('/console/sign-in')
      .type('form')
      .send({ email: 'carl@bank.test', password })
      .expect(429);
    expect(locked.text).toMatch(/Too many failed sign-ins/);
    expect(locked.headers['set-cookie']).toBeUndefined();
  });

  describe('signed in', () => {
    let author: ConsoleBrowser;
    let approver: ConsoleBrowser;
    let secondApprover: ConsoleBrowser;
    let viewer: ConsoleBrowser;
    beforeAll(async () => {
      author = await signedInPerson(sut.app, 'author@bank.test', 'author');
      approver = await signedInPerson(sut.app, 'approver@bank.test', 'approver');
      secondApprover = await signedInPerson(sut.app, 'second@bank.test', 'approver');
      viewer = await signedInPerson(sut.app, 'viewer@bank.test', 'viewer');
      await sut.customers.insertMany(
        ['K1', 'K2'].map((id) => ({ id, devices: [`tok-${id}`], channels: { 'card-payments': recently() } })),
      );
    });

    const eventForm = (ref: string, csrf: string) => ({
      _csrf: csrf,
      eventId: `console-${ref}`,
      incidentRef: ref,
      type: 'opened',
      severity: 'major',
      'channel.card-payments': 'down',
      regions: '',
      'message.es-CO': 'Los pagos con tarjeta presentan fallas.',
      'message.en': 'Card payments are failing.',
    });

    it('refuses every write without the session CSRF token', async () => {
      await author.agent.post('/console/events').type('form').send(eventForm('INC-CSRF', '')).expect(403);
      await author.agent
        .post('/console/events')
        .type('form')
        .send(eventForm('INC-CSRF', 'forged'))
        .expect(403);
      const stored = await sut.db
        .selectFrom('events')
        .select('id')
        .where('id', '=', 'console-INC-CSRF')
        .execute();
      expect(stored).toEqual([]);
    });

    it('keeps a viewer out of writing', async () => {
      await viewer.agent.get('/console/events/new').expect(403);
      await viewer.agent
        .post('/console/events')
        .type('form')
        .send(eventForm('INC-VIEW', viewer.csrf))
        .expect(403);
      await viewer.agent.get('/console/incidents').expect(200);
    });

    it("records a person's event and approval under their names; nobody approves their own notice", async () => {
      const submitted = await approver.agent
        .post('/console/events')
        .type('form')
        .send(eventForm('INC-PEOPLE', approver.csrf))
        .expect(303);
      const noticeId = /\/console\/notices\/([0-9a-f-]{36})$/.exec(submitted.headers.location)![1];
      await sut.waitForNotice(noticeId, 'awaiting-approval');
      const notice = await sut.notice(noticeId);
      expect(notice.submitted_by).toMatch(/^user:[0-9a-f-]{36}:approver@bank\.test$/);

      const own = await approver.agent
        .post(`/console/notices/${noticeId}/approve`)
        .set('X-CSRF-Token', approver.csrf)
        .expect(403);
      expect(own.text).toMatch(/second person must approve/);
      const byAuthor = await author.agent
        .post(`/console/notices/${noticeId}/approve`)
        .set('X-CSRF-Token', author.csrf)
        .expect(403);
      expect(byAuthor.text).toMatch(/Your role \(author\) cannot do this/);
      await secondApprover.agent
        .post(`/console/notices/${noticeId}/approve`)
        .set('X-CSRF-Token', secondApprover.csrf)
        .expect(200);
      await sut.waitForNotice(noticeId, 'done');

      const audit = await sut.db
        .selectFrom('audit_log')
        .select(['actor', 'action', 'detail'])
        .where('action', 'in', ['event.accept', 'notice.approve'])
        .where((eb) => eb.or([eb('target', '=', noticeId), eb('target', '=', 'console-INC-PEOPLE')]))
        .orderBy('id')
        .execute();
      expect(audit.map((a) => [a.action, a.actor.replace(/[0-9a-f-]{36}/, 'ID')])).toEqual([
        ['event.accept', 'user:ID:approver@bank.test'],
        ['notice.approve', 'user:ID:second@bank.test'],
      ]);
      expect(audit[1].detail).toMatchObject({ submittedBy: notice.submitted_by, approvedBy: audit[1].actor });
    });

    it('signs out: the session cookie no longer opens a page', async () => {
      const person = await signedInPerson(sut.app, 'leaving@bank.test', 'viewer');
      const page = await person.agent.get('/console/incidents').expect(200);
      await person.agent
        .post('/console/sign-out')
        .type('form')
        .send({ _csrf: csrfIn(page.text) })
        .expect(303);
      await person.agent.get('/console/incidents').expect(303).expect('Location', '/console/sign-in');
    });
  });

  it('lets an API event through the same gate: an upstream event above the threshold waits too', async () => {
    await sut.customers.insertMany(
      ['U1', 'U2'].map((id) => ({ id, devices: [`tok-${id}`], channels: { 'qr-payments': recently() } })),
    );
    const { noticeId } = await sut.postEvent(
      eventBody({ channels: [{ id: 'qr-payments', status: 'down' }] }),
    );
    await sut.waitForNotice(noticeId, 'awaiting-approval');
  });
});
