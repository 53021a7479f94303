import { h, VNode } from 'preact';
import { loadConfig } from '../../../src/config/app-config';
import { eventOf, formValues } from '../../../src/console/event-form';
import { formatTime, translator } from '../../../src/console/i18n';
import { displayName } from '../../../src/console/views/approvals';
import { percentDone } from '../../../src/console/views/notice';
import { PreviewFragment, PreviewModel } from '../../../src/console/views/preview';
import { renderFragment } from '../../../src/console/render';
import type { NoticeDto } from '../../../src/notices/notice.dto';

const catalog = loadConfig({}).channels;
const counts = (pending: number, sent: number, failed = 0) => ({
  pending,
  sent,
  delivered: 0,
  failed,
  skipped: 0,
});
const notice = (state: NoticeDto['state'], push: ReturnType<typeof counts>, sms = counts(0, 0)) =>
  ({ state, counts: { push, sms } }) as NoticeDto;

describe('console views', () => {
  it('counts a notice done by its settled recipients, and a held one as not started', () => {
    expect(percentDone(notice('sending', counts(3, 1), counts(0, 0, 4)))).toBe(62);
    expect(percentDone(notice('awaiting-approval', counts(8, 0)))).toBe(0);
    expect(percentDone(notice('done', counts(0, 0)))).toBe(100);
    expect(percentDone(notice('sending', counts(1, 2)))).toBe(66);
  });

  it('names people by email and keys by name', () => {
    expect(displayName('user:7f0c-…:ana@bank.test')).toBe('ana@bank.test');
    expect(displayName('key:abc123:monitoring')).toBe('monitoring (API key)');
    expect(displayName(null)).toBe('—');
  });

  it('speaks Spanish with Bogotá time and English with UTC, day before month in both', () => {
    const at = '2026-12-03T06:34:41Z';
    expect(translator('es-CO')('state.awaiting-approval')).toBe('esperando aprobación');
    expect(translator('en')('preview.segments', { n: 2, encoding: 'UCS-2' })).toBe('2 SMS segments (UCS-2)');
    expect(translator('es-CO')('preview.segments', { n: 1, encoding: 'GSM-7' })).toBe(
      '1 segmento SMS (GSM-7)',
    );
    expect(translator('es-CO')('preview.smsEstimate', { n: 12000 })).toBe(
      'SMS a enviar: unos 12.000 segmentos',
    );
    expect(formatTime(at, 'es-CO')).toMatch(/^3\/12\/2026, 1:34:41 a\.\sm\.\s(COT|GMT-5)$/);
    expect(formatTime(at, 'en')).toMatch(/^3 Dec 2026, 06:34:41 UTC$/);
  });

  it('turns the form into the event API body: chosen channels only, regions split, empty texts dropped', async () => {
    const values = formValues(
      {
        eventId: 'console-1',
        incidentRef: ' INC-9 ',
        type: 'updated',
        severity: 'critical',
        'channel.mobile-app': 'down',
        'channel.atm-network': 'restored',
        'channel.qr-payments': 'bogus',
        regions: 'antioquia, bogota-dc',
        'message.es-CO': 'Falla.',
        'message.en': '  ',
      },
      catalog,
    );
    const event = await eventOf(values);
    expect(event).toMatchObject({
      id: 'console-1',
      incidentRef: 'INC-9',
      type: 'updated',
      severity: 'critical',
      channels: [
        { id: 'mobile-app', status: 'down' },
        { id: 'atm-network', status: 'restored' },
      ],
      regions: ['antioquia', 'bogota-dc'],
      message: { 'es-CO': 'Falla.' },
    });
  });

  it('refuses a form without channels as the API refuses the body, naming the field', async () => {
    await expect(
      eventOf(formValues({ incidentRef: 'INC-9', 'message.es-CO': 'x' }, catalog)),
    ).rejects.toMatchObject({
      errors: expect.arrayContaining([expect.objectContaining({ field: 'channels' })]),
    });
  });

  it('shows the SMS cost only when a price is set, and the customers quiet hours hold', () => {
    const model = (over: Partial<PreviewModel>): PreviewModel => ({
      audience: { total: 40, push: 30, smsOnly: 10, unreachable: 2, stale: false },
      texts: [],
      threshold: 1000,
      smsSegments: 10,
      estimatedCost: null,
      heldByQuietHours: 0,
      ...over,
    });
    const html = (m: PreviewModel) =>
      renderFragment(h(PreviewFragment, { t: translator('en'), model: m }) as VNode);
    expect(html(model({}))).not.toContain('Estimated SMS cost');
    expect(html(model({}))).not.toContain('quiet hours');
    const priced = html(model({ estimatedCost: 1250.5, heldByQuietHours: 7 }));
    expect(priced).toContain('Estimated SMS cost: 1,250.5');
    expect(priced).toContain('7 customers are inside quiet hours now: held until the morning');
    expect(translator('es-CO')('preview.heldByQuietHours', { n: 1 })).toBe(
      '1 cliente está en horario de descanso: se le avisará en la mañana',
    );
  });
});
