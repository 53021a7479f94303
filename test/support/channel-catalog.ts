import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChannelCatalog, parseChannelCatalog } from '../../src/config/channel-catalog';

/** The channel catalog the service ships with: the one catalog the tests use. */
export function shippedCatalog(): ChannelCatalog {
  const file = join(__dirname, '../../config/channels.json');
  return parseChannelCatalog(JSON.parse(readFileSync(file, 'utf8')), file);
}
