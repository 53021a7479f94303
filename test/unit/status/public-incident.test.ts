import type { ChannelState, EventType } from '../../../src/database/schema';
import { PublishedEvent, publicIncident } from '../../../src/status/public-incident';

const event = (
  type: EventType,
  at: string,
  channels: ChannelState[],
  told = true,
  severity = 'major',
): PublishedEvent => ({
  type,
  occurredAt: new Date(at),
  body: { type, severity, channels, message: { en: `${type} at ${at}` } },
  told,
});

describe(publicIncident.name, () => {
  it('is null while none of its events told anyone publicly', () => {
    expect(publicIncident('INC-1', [])).toBeNull();
    expect(
      publicIncident('INC-1', [
        event('opened', '2026-12-01T10:00:00Z', [{ id: 'mobile-app', status: 'down' }], false),
      ]),
    ).toBeNull();
  });

  it('applies its published events as inside: channels, status and severity of the newest, texts oldest first', () => {
    const sut = publicIncident('INC-1', [
      event('opened', '2026-12-01T10:00:00Z', [{ id: 'mobile-app', status: 'down' }]),
      // Arrived later but occurred earlier: applied where it is newer, listed where it occurred.
      event(
        'updated',
        '2026-12-01T11:00:00Z',
        [{ id: 'bill-payments', status: 'degraded' }],
        true,
        'critical',
      ),
      event('updated', '2026-12-01T10:30:00Z', [{ id: 'bill-payments', status: 'down' }]),
      // An event that told nobody moves its channel, with no text.
      event('updated', '2026-12-01T11:30:00Z', [{ id: 'mobile-app', status: 'restored' }], false),
    ]);
    expect(sut).toMatchObject({
      ref: 'INC-1',
      status: 'open',
      severity: 'major',
      channels: [
        { id: 'mobile-app', status: 'restored' },
        { id: 'bill-payments', status: 'degraded' },
      ],
      openedAt: new Date('2026-12-01T10:00:00Z'),
      lastEventAt: new Date('2026-12-01T11:30:00Z'),
    });
    expect(sut?.events.map((e) => e.occurredAt.toISOString())).toEqual([
      '2026-12-01T10:00:00.000Z',
      '2026-12-01T10:30:00.000Z',
      '2026-12-01T11:00:00.000Z',
    ]);
  });
});
