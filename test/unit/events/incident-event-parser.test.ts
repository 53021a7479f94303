import { plainToInstance } from 'class-transformer';
import { AppConfig } from '../../../src/config/app-config';
import { DomainError } from '../../../src/common/errors/domain-error';
import { IncidentEventDto } from '../../../src/events/event.dto';
import { IncidentEventParser } from '../../../src/events/incident-event-parser';
import { shippedCatalog } from '../../support/channel-catalog';

const channels = shippedCatalog();

describe(IncidentEventParser.name, () => {
  const sut = new IncidentEventParser({ channels, env: { EVENT_MAX_CLOCK_SKEW: 300 } } as AppConfig);
  const dto = (overrides: Partial<IncidentEventDto> = {}) =>
    plainToInstance(IncidentEventDto, {
      id: 'evt-1',
      incidentRef: 'INC-1',
      type: 'opened',
      severity: 'major',
      channels: [{ id: 'mobile-app', status: 'down' }],
      message: { 'es-CO': 'Fallas.' },
      occurredAt: '2026-11-25T10:00:00Z',
      ...overrides,
    });

  it('gives the same body hash to the same instant written with another offset', () => {
    const utc = sut.parse(dto());
    const bogota = sut.parse(dto({ occurredAt: '2026-11-25T05:00:00-05:00' }));

    expect(bogota.body.occurredAt).toBe('2026-11-25T10:00:00.000Z');
    expect(bogota.bodyHash).toBe(utc.bodyHash);
  });

  it('keeps optional parts out of the body and the content when absent', () => {
    const parsed = sut.parse(dto());

    expect(Object.keys(parsed.body).sort()).toEqual(
      ['channels', 'id', 'incidentRef', 'message', 'occurredAt', 'severity', 'type'].sort(),
    );
    expect(parsed).toMatchObject({
      regions: null,
      media: null,
      content: { message: { 'es-CO': 'Fallas.' } },
    });
  });

  it('collects every catalog problem in one error', () => {
    const run = () =>
      sut.parse(
        dto({
          channels: [
            { id: 'mobile-app', status: 'down' },
            { id: 'fax', status: 'down' },
            { id: 'mobile-app', status: 'restored' },
          ],
          message: { en: 'Failing.', fr: 'Pannes.' },
          title: { pt: 'Falhas' },
        }),
      );

    expect(run).toThrow(DomainError);
    expect(() => run()).toThrow(
      expect.objectContaining({
        errors: [
          {
            field: 'channels[1].id',
            reason:
              'unknown channel fax; valid channels: mobile-app, online-banking, interbank-transfers, bill-payments, card-payments, atm-network, qr-payments, call-center',
          },
          { field: 'channels[2].id', reason: 'channel mobile-app is listed more than once' },
          { field: 'message', reason: 'must include the default locale es-CO' },
          { field: 'message.fr', reason: 'unsupported locale fr; supported locales: es-CO, en' },
          { field: 'title.pt', reason: 'unsupported locale pt; supported locales: es-CO, en' },
        ],
      }),
    );
  });

  it('accepts an occurredAt up to EVENT_MAX_CLOCK_SKEW ahead and refuses one beyond it', () => {
    const ahead = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

    expect(sut.parse(dto({ occurredAt: ahead(240) })).occurredAt.getTime()).toBeGreaterThan(Date.now());
    expect(() => sut.parse(dto({ occurredAt: ahead(360) }))).toThrow(
      expect.objectContaining({
        errors: [{ field: 'occurredAt', reason: 'must not be more than 300 seconds in the future' }],
      }),
    );
  });

  it('takes named assurances and the next-update time, and lets the template speak when there is no message', () => {
    const parsed = sut.parse(
      dto({
        message: undefined,
        assurances: ['funds-safe', 'no-cyberattack'],
        nextUpdateAt: '2026-11-25T09:00:00-05:00',
      }),
    );
    expect(parsed.content).toEqual({
      assurances: ['funds-safe', 'no-cyberattack'],
      nextUpdateAt: '2026-11-25T14:00:00.000Z',
    });
    expect(parsed.body).not.toHaveProperty('message');
  });

  it('refuses an assurance the catalog does not have', () => {
    expect(() => sut.parse(dto({ assurances: ['funds-safe', 'all-fine'] }))).toThrow(
      expect.objectContaining({
        errors: [
          {
            field: 'assurances[1]',
            reason:
              'unknown assurance all-fine; known assurances: funds-safe, no-cyberattack, no-data-exposed',
          },
        ],
      }),
    );
  });
});
