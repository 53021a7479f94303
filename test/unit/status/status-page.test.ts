import { renderStatusPage } from '../../../src/status/status-page';
import { buildSnapshot, IncidentForStatus } from '../../../src/status/status-snapshot';
import { shippedCatalog } from '../../support/channel-catalog';

const catalog = shippedCatalog();

const incident = (overrides: Partial<IncidentForStatus> = {}): IncidentForStatus => ({
  ref: 'INC-7',
  status: 'open',
  severity: 'major',
  channels: [{ id: 'mobile-app', status: 'down' }],
  openedAt: new Date('2026-12-01T14:00:00Z'),
  lastEventAt: new Date('2026-12-01T15:00:00Z'),
  events: [
    {
      type: 'opened',
      occurredAt: new Date('2026-12-01T14:00:00Z'),
      body: { message: { 'es-CO': 'La app falla <b>hoy</b>.', en: 'The app fails.' }, customerId: 'C1' },
    },
    {
      type: 'updated',
      occurredAt: new Date('2026-12-01T15:00:00Z'),
      body: {
        message: { 'es-CO': 'Seguimos trabajando.' },
        assurances: ['funds-safe', 'not-in-catalog'],
        nextUpdateAt: '2026-12-01T16:30:00Z',
      },
    },
  ],
  ...overrides,
});

describe('status snapshot and page', () => {
  it('keeps only public texts, and the next update of the latest event while open', () => {
    const sut = buildSnapshot([incident()], catalog, new Date('2026-12-01T15:01:00Z'));
    expect(sut.incidents[0]).toEqual({
      ref: 'INC-7',
      status: 'open',
      severity: 'major',
      openedAt: '2026-12-01T14:00:00.000Z',
      resolvedAt: null,
      channels: [{ id: 'mobile-app', name: { 'es-CO': 'App móvil', en: 'Mobile app' }, status: 'down' }],
      nextUpdateAt: '2026-12-01T16:30:00.000Z',
      updates: [
        {
          type: 'opened',
          at: '2026-12-01T14:00:00.000Z',
          title: null,
          message: { 'es-CO': 'La app falla <b>hoy</b>.', en: 'The app fails.' },
          advice: null,
          assurances: [],
          nextUpdateAt: null,
        },
        {
          type: 'updated',
          at: '2026-12-01T15:00:00.000Z',
          title: null,
          message: { 'es-CO': 'Seguimos trabajando.' },
          advice: null,
          assurances: [{ 'es-CO': 'Tu dinero está seguro.', en: 'Your money is safe.' }],
          nextUpdateAt: '2026-12-01T16:30:00.000Z',
        },
      ],
    });
    const resolved = buildSnapshot([incident({ status: 'resolved' })], catalog, new Date());
    expect(resolved.incidents[0]).toMatchObject({
      resolvedAt: '2026-12-01T15:00:00.000Z',
      nextUpdateAt: null,
    });
  });

  it('writes the page in the locale, falls back to the default locale, escapes texts and has no script', () => {
    const snapshot = buildSnapshot([incident()], catalog, new Date('2026-12-01T15:01:00Z'));
    const en = renderStatusPage(snapshot, 'en', 'America/Bogota');
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('The app fails.');
    expect(en).toContain('Seguimos trabajando.');
    expect(en).toContain('Mobile app');
    expect(en).toContain('Next update');
    expect(en).toContain('<p class="assurance">Your money is safe.</p>');
    expect(en).toContain('<h2>Update ');
    expect(en).toContain('December 1, 2026 at 11:30 AM GMT-5');
    const es = renderStatusPage(snapshot, 'es-CO', 'America/Bogota');
    expect(es).toContain('La app falla &lt;b&gt;hoy&lt;/b&gt;.');
    expect(es).toContain('Próxima actualización');
    expect(es).not.toMatch(/<script/i);
  });

  it('says all is well when nothing is shown', () => {
    const page = renderStatusPage(buildSnapshot([], catalog, new Date()), 'es-CO', 'America/Bogota');
    expect(page).toContain('Todos nuestros servicios funcionan con normalidad.');
  });
});
