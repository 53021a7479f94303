import { randomUUID } from 'node:crypto';
import type { Router } from 'express';
import { ApiKeysService } from '../../src/access/api-keys.service';
import { Scope, SCOPES } from '../../src/access/scopes';
import { eventBody } from '../support/event-factory';
import { startTestApi, TestApi } from '../support/test-api';

/**
 * Who may call each route: the scopes that pass (`admin` passes everywhere), `public` for no key at all, or `signed`
 * for a provider's webhook that takes no key and refuses every request without the provider's signature.
 */
const MATRIX: Record<string, readonly Scope[] | 'public' | 'signed'> = {
  'GET /health': 'public',
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
  'GET /metrics': 'public',
  'GET /status': 'public',
  'GET /status.json': 'public',
  'GET /status/:locale': 'public',
  'GET /v1/audit': ['audit:read'],
  'GET /v1/incidents/:id/evidence': ['audit:read'],
  'POST /v1/events': ['events:write'],
  'POST /v1/integrations/alertmanager': ['events:write'],
  'POST /v1/providers/twilio/inbound': 'signed',
  'POST /v1/audience/preview': ['incidents:read', 'events:write'],
  'GET /v1/incidents': ['incidents:read'],
  'GET /v1/incidents/:id': ['incidents:read'],
  'GET /v1/notices': ['incidents:read'],
  'GET /v1/notices/:id': ['incidents:read'],
  'POST /v1/notices/:id/approve': ['notices:approve'],
  'POST /v1/notices/:id/reject': ['notices:approve'],
  'POST /v1/notices/:id/cancel': ['events:write'],
  'POST /v1/notices/:id/retry-failed': ['events:write'],
  'PUT /v1/customers/:id': ['customers:write'],
  'DELETE /v1/customers/:id': ['customers:write'],
  'POST /v1/customers/import': ['customers:write'],
};

const CUSTOMER = { locale: 'es-CO', phone: '+573001234567', consent: { sms: true } };

describe('Scope matrix', () => {
  let sut: TestApi;
  const credentials: Record<string, string | undefined> = {};

  beforeAll(async () => {
    sut = await startTestApi('postgres');
    for (const scope of SCOPES) credentials[scope] = await sut.bearer(scope);
    const keys = sut.app.get(ApiKeysService);
    const revoked = await keys.create('revoked', ['admin']);
    await keys.revoke(revoked.id);
    credentials['revoked key'] = `Bearer ${revoked.key}`;
    credentials['malformed key'] = 'Bearer avk_nope';
    credentials['another scheme'] = credentials.admin!.replace('Bearer', 'Basic');
    credentials['no key'] = undefined;
  });
  afterAll(() => sut?.close());

  /**
   * Routes as Express serves them, without the OpenAPI pages and Nest's catch-all. The console's pages take no API
   * key but a person's session: test/integration/console-people.test.ts holds their matrix.
   */
  function servedRoutes(): string[] {
    const router = (sut.app.getHttpAdapter().getInstance() as { router: Router }).router;
    return router.stack
      .flatMap((layer) => (layer.route ? [layer.route] : []))
      .filter((route) => typeof route.path === 'string' && !/^\/docs|^\/console|\{\*path\}/.test(route.path))
      .flatMap((route) =>
        Object.keys((route as unknown as { methods: Record<string, boolean> }).methods).map(
          (method) => `${method.toUpperCase()} ${route.path}`,
        ),
      );
  }

  function send(route: string, authorization: string | undefined) {
    const [method, template] = route.split(' ');
    const path = template.replace(':id', route.includes('customers') ? `C-${randomUUID()}` : randomUUID());
    let req = sut.http[method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](path);
    if (authorization) req = req.set('Authorization', authorization);
    if (route === 'POST /v1/customers/import') {
      return req
        .set('Content-Type', 'application/x-ndjson')
        .send(`${JSON.stringify({ id: 'C1', ...CUSTOMER })}\n`);
    }
    if (route === 'PUT /v1/customers/:id') return req.send(CUSTOMER);
    if (route === 'POST /v1/providers/twilio/inbound')
      return req.type('form').send({ From: CUSTOMER.phone, Body: 'STOP' });
    if (route === 'POST /v1/events' || route === 'POST /v1/audience/preview') return req.send(eventBody());
    return req;
  }

  it('covers every route the API serves', () => {
    expect(servedRoutes().sort()).toEqual(Object.keys(MATRIX).sort());
  });

  it.each(Object.keys(MATRIX))('%s answers each credential as its scopes say', async (route) => {
    for (const [credential, authorization] of Object.entries(credentials)) {
      const res = await send(route, authorization);
      const expected = expectedOutcome(MATRIX[route], credential);
      const outcome =
        res.status === 401 || res.status === 403 ? res.status : res.status < 500 ? 'served' : 500;
      expect({ route, credential, outcome }).toEqual({ route, credential, outcome: expected });
      if (outcome !== 'served') expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });
});

/** `served` (past the guard, whatever the route then answers short of a 5xx), 401 or 403. */
function expectedOutcome(
  allowed: readonly Scope[] | 'public' | 'signed',
  credential: string,
): 'served' | 401 | 403 {
  if (allowed === 'public') return 'served';
  if (allowed === 'signed') return 403;
  if (!SCOPES.includes(credential as Scope)) return 401;
  return credential === 'admin' || allowed.includes(credential as Scope) ? 'served' : 403;
}
