import type { IncomingMessage } from 'node:http';
import { requestLine } from '../../../src/common/logging/logger.options';

describe('requestLine', () => {
  it('names the request without its headers, so credentials never reach the log', () => {
    const req = {
      id: 7,
      method: 'POST',
      url: '/events',
      originalUrl: '/v1/events',
      headers: { authorization: 'Bearer avk_secret', 'x-twilio-signature': 'sig' },
    } as unknown as IncomingMessage;
    const line = requestLine(req);
    expect(line).toEqual({ id: 7, method: 'POST', url: '/v1/events' });
    expect(JSON.stringify(line)).not.toContain('secret');
  });
});
