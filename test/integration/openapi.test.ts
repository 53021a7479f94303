import { startTestApi, TestApi } from '../support/test-api';

describe('OpenAPI document', () => {
  let sut: TestApi;
  beforeAll(async () => {
    sut = await startTestApi('postgres');
  });
  afterAll(() => sut.close());

  it('describes every public endpoint with its bearer-key security', async () => {
    const { body } = await sut.http.get('/docs/openapi.json').expect(200);
    const operations = Object.entries(
      body.paths as Record<string, Record<string, { security?: unknown[] }>>,
    ).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })),
    );
    expect(operations.map((o) => o.route).sort()).toEqual(
      [
        'DELETE /v1/customers/{id}',
        'GET /health',
        'GET /health/live',
        'GET /health/ready',
        'GET /v1/incidents',
        'GET /v1/incidents/{id}',
        'GET /v1/incidents/{id}/evidence',
        'GET /v1/audit',
        'GET /v1/notices',
        'GET /v1/notices/{id}',
        'POST /v1/audience/preview',
        'POST /v1/customers/import',
        'POST /v1/events',
        'POST /v1/integrations/alertmanager',
        'POST /v1/notices/{id}/approve',
        'POST /v1/notices/{id}/cancel',
        'POST /v1/notices/{id}/reject',
        'POST /v1/notices/{id}/retry-failed',
        'PUT /v1/customers/{id}',
      ].sort(),
    );
    for (const { route, op } of operations) {
      if (!route.startsWith('GET /health'))
        expect({ route, security: op.security }).toEqual({ route, security: [{ bearer: [] }] });
    }
  });
});
