import { NoticeTextCache, renderNotice } from '../../../src/content/notice-renderer';
import type { NoticeContent, NoticeKind } from '../../../src/database/schema';
import { shippedCatalog } from '../../support/channel-catalog';

const catalog = shippedCatalog();
const settings = { statusPageUrl: 'https://estado.banco.com.co', smsMaxSegments: 1 };
const since = '2026-10-01T00:00:00.000Z';
const used = Date.parse('2026-11-20T00:00:00Z');
const reader = (channels: string[], over: { locale?: string; timeZone?: string } = {}) => ({
  locale: over.locale ?? 'es-CO',
  timeZone: over.timeZone ?? 'America/Bogota',
  channels: Object.fromEntries(channels.map((id) => [id, used])),
});
const content = (channels: string[], over: NoticeContent = {}): NoticeContent => ({
  channels: channels.map((id) => ({ id, since })),
  ...over,
});

describe(renderNotice.name, () => {
  it("names only the reader's own affected channels, in their language", () => {
    const notice = {
      kind: 'opened' as const,
      content: content(['mobile-app', 'interbank-transfers', 'qr-payments']),
    };
    const es = renderNotice(
      notice,
      reader(['interbank-transfers', 'qr-payments', 'atm-network']),
      catalog,
      settings,
    );
    expect(es.title).toBe('Falla en Transferencias interbancarias y Pagos con QR');
    const en = renderNotice(notice, reader(['mobile-app'], { locale: 'en' }), catalog, settings);
    expect(en.title).toBe('Mobile app disrupted');
    expect(en.body).toBe(
      'We are working to restore it. We will never ask for your passwords or codes. Info: https://estado.banco.com.co',
    );
  });

  it('agrees the verb with the number of channels back', () => {
    const notice = { kind: 'restored' as const, content: content(['bill-payments', 'card-payments']) };
    expect(renderNotice(notice, reader(['bill-payments']), catalog, settings).body).toMatch(
      /^Pago de facturas ya funciona con normalidad\./,
    );
    expect(renderNotice(notice, reader(['bill-payments', 'card-payments']), catalog, settings).body).toMatch(
      /^Pago de facturas y Pagos con tarjeta ya funcionan con normalidad\./,
    );
  });

  it("tells the next update on the reader's own clock, and the event's assurances and advice", () => {
    const notice = {
      kind: 'updated' as const,
      content: content(['atm-network'], {
        message: { 'es-CO': 'La red de cajeros presenta fallas.' },
        advice: { 'es-CO': 'Puedes retirar en oficinas.' },
        assurances: ['funds-safe', 'no-cyberattack'],
        nextUpdateAt: '2026-12-03T15:00:00.000Z',
      }),
    };
    const bogota = renderNotice(notice, reader(['atm-network']), catalog, settings);
    expect(bogota.body).toBe(
      'La red de cajeros presenta fallas. Puedes retirar en oficinas. Tu dinero está seguro. No es un ataque ' +
        'informático. Próxima actualización: 3 de dic, 10:00 a. m. Nunca te pediremos claves ni códigos. Info: ' +
        'https://estado.banco.com.co',
    );
    const madrid = renderNotice(
      notice,
      reader(['atm-network'], { timeZone: 'Europe/Madrid' }),
      catalog,
      settings,
    );
    expect(madrid.body).toContain('Próxima actualización: 3 de dic, 4:00 p. m.');
    expect(bogota.sms.count).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(bogota.sms.dropped).toEqual(['advice', 'assurance 2', 'assurance 1', 'next update']);
  });

  it.each(['opened', 'updated', 'restored', 'resolved'] as NoticeKind[])(
    'fits the default Spanish %s template in one GSM-7 segment for any one channel, dropping nothing',
    (kind) => {
      for (const channel of catalog.channels) {
        const notice = { kind, content: content([channel.id]) };
        const { sms } = renderNotice(notice, reader([channel.id]), catalog, settings);
        expect({
          channel: channel.id,
          dropped: sms.dropped,
          encoding: sms.count.encoding,
          segments: sms.count.segments,
        }).toEqual({
          channel: channel.id,
          dropped: [],
          encoding: 'GSM-7',
          segments: 1,
        });
      }
    },
  );

  it('leaves out the anti-phishing line when the catalog turns it off, and the link when there is no status page', () => {
    const off = { ...catalog, notices: { ...catalog.notices, antiPhishing: false } };
    const text = renderNotice(
      { kind: 'opened', content: content(['mobile-app']) },
      reader(['mobile-app']),
      off,
      { statusPageUrl: undefined, smsMaxSegments: 1 },
    );
    expect(text.sms.text).toBe('Falla en App movil: Trabajamos para restablecerlo.');
  });
});

describe(NoticeTextCache.name, () => {
  it('renders once per locale and own channels, and per time zone only when the notice tells a time', () => {
    const sut = new NoticeTextCache(
      { kind: 'opened', content: content(['mobile-app', 'qr-payments']) },
      catalog,
      settings,
    );
    const a = sut.for(reader(['mobile-app']));
    expect(sut.for(reader(['mobile-app'], { timeZone: 'Europe/Madrid' }))).toBe(a);
    expect(sut.for(reader(['qr-payments']))).not.toBe(a);
    expect(sut.for({ locale: null, timeZone: null, channels: null }).title).toBe(
      'Falla en App móvil y Pagos con QR',
    );
  });
});
