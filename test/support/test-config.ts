import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, loadConfig } from '../../src/config/app-config';

const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** High enough that no suite's notice waits for approval unless the suite sets APPROVAL_THRESHOLD itself. */
export const TEST_APPROVAL_THRESHOLD = '1000000';

/**
 * A config of the embedded defaults plus what a test says; each call gets its own BullMQ prefix and status folder.
 * Rate limits are off unless a test turns them on: suites send as fast as they can with one key.
 */
export function testConfig(overrides: Record<string, string | undefined> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `{aviso-t-${randomBytes(4).toString('hex')}}`,
    PORT: '0',
    API_RATE_PER_KEY: '0',
    STATUS_DIR: mkdtempSync(join(tmpdir(), 'aviso-status-')),
    // No load balancer watches a test's API: closing it need not wait for one to notice.
    SHUTDOWN_GRACE_MS: '0',
    APPROVAL_THRESHOLD: TEST_APPROVAL_THRESHOLD,
    ...overrides,
  });
}
