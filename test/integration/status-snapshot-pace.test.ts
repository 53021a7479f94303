import { setTimeout as sleep } from 'node:timers/promises';
import { StatusPublisher } from '../../src/status/status-publisher';
import { startTestStack, TestStack } from '../support/test-stack';

describe(StatusPublisher.name, () => {
  let sut: TestStack;
  beforeAll(async () => {
    sut = await startTestStack();
  });
  afterAll(() => sut?.close());

  const generatedAt = async (): Promise<string> =>
    (await sut.http.get('/status.json').expect(200)).body.generatedAt;

  it('builds the snapshot at most once a second under a storm of changes, and last after the last one', async () => {
    const publisher = sut.app.get(StatusPublisher);
    const versions = new Set<string>();
    const stormStart = Date.now();
    let lastRequestAt = 0;
    let last: Promise<void> = Promise.resolve();
    while (Date.now() - stormStart < 2_500) {
      lastRequestAt = Date.now();
      last = publisher.request();
      versions.add(await generatedAt());
      await sleep(50);
    }
    await last;
    const final = await generatedAt();
    versions.add(final);
    expect(new Date(final).getTime()).toBeGreaterThanOrEqual(lastRequestAt);
    // 2.5 s of requests every 50 ms: the boot snapshot and one build a second, not one build after another.
    expect(versions.size).toBeGreaterThanOrEqual(2);
    expect(versions.size).toBeLessThanOrEqual(5);
  });
});
