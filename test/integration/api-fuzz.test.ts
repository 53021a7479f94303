import { fuzzApi } from '../fuzz/api-fuzz';
import { ENDPOINTS } from '../fuzz/endpoints';

const RUNS = 200;

describe('API fuzz, fixed seed', () => {
  it(`answers ${RUNS} generated requests per endpoint without a 5xx, refusing with problem JSON`, async () => {
    const summary = await fuzzApi({ runs: RUNS, seed: 20_261_203, batch: 100 });

    expect(summary.endpoints.flatMap((e) => e.failures)).toEqual([]);
    expect(summary.invariants).toEqual([]);
    expect(summary.endpoints.map((e) => [e.endpoint, e.requests])).toEqual(
      ENDPOINTS.map((e) => [e.name, RUNS]),
    );
    // The mutations leave enough bodies valid to reach intake and the directory, not only their validation.
    const statuses = Object.fromEntries(summary.endpoints.map((e) => [e.endpoint, e.statuses]));
    expect(statuses['POST /v1/events'][202]).toBeGreaterThan(10);
    expect(statuses['PUT /v1/customers/{id}'][200]).toBeGreaterThan(10);
  }, 180_000);
});
