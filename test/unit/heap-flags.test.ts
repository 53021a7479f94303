import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('heap flags', () => {
  // The image runs node directly, so it repeats package.json's flags; the benchmark measures package.json's.
  it('are the same in the Docker image as in the npm start scripts the benchmark measures', () => {
    const { config } = JSON.parse(read('package.json')) as { config: { nodeArgs: string } };
    const image = /^ENV NODE_OPTIONS="([^"]*)"$/m.exec(read('docker/Dockerfile'))?.[1];
    expect(image).toBe(config.nodeArgs);
  });
});
