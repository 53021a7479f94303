import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlertGroup, parseAlertGroup } from '../../../src/alertmanager/alert-group';
import { alertGroupEvent } from '../../../src/alertmanager/alert-group-event';
import { parseAlertmanagerMapping } from '../../../src/config/alertmanager-mapping';

const file = join(__dirname, '../../../config/alertmanager.json');
const mapping = parseAlertmanagerMapping(JSON.parse(readFileSync(file, 'utf8')), file, ['es-CO', 'en']);

const alert = (fingerprint: string, labels: Record<string, string>, status = 'firing') => ({
  status,
  labels: { alertname: 'CoreDown', ...labels },
  annotations: { aviso_message_es_CO: `texto ${fingerprint}` },
  startsAt: '2026-12-01T10:00:00.123456789Z',
  endsAt: status === 'resolved' ? '2026-12-01T11:00:00Z' : '0001-01-01T00:00:00Z',
  fingerprint,
});
const group = (alerts: object[]): AlertGroup =>
  parseAlertGroup({
    version: '4',
    groupKey: '{}/{severity=~".+"}:{alertname="CoreDown"}',
    status: 'firing',
    groupLabels: { alertname: 'CoreDown' },
    commonLabels: {},
    alerts,
  });

describe(alertGroupEvent.name, () => {
  it('maps labels: worst severity, unknown severity as major, status default down, regions when all have one', () => {
    const sut = alertGroupEvent(
      group([
        alert('b', { aviso_channel: 'mobile-app', severity: 'warning', aviso_region: 'antioquia' }),
        alert('a', {
          aviso_channel: 'bill-payments',
          severity: 'minor',
          aviso_status: 'degraded',
          aviso_region: 'bogota',
        }),
        alert('c', { team: 'no channel label' }),
      ]),
      mapping,
    );
    expect(sut?.incidentRef).toMatch(/^am-CoreDown-[0-9a-f]{12}$/);
    expect(sut?.body(undefined)).toEqual({
      id: sut?.id,
      incidentRef: sut?.incidentRef,
      type: 'opened',
      severity: 'major',
      channels: [
        { id: 'bill-payments', status: 'degraded' },
        { id: 'mobile-app', status: 'down' },
      ],
      regions: ['antioquia', 'bogota'],
      message: { 'es-CO': 'texto a' },
      occurredAt: '2026-12-01T10:00:00.123Z',
    });
  });

  it('keeps the id of a re-send, even once resolved alerts are dropped from it, and changes it when an alert fires again', () => {
    const down = alert('a', { aviso_channel: 'mobile-app' });
    const restored = alert('b', { aviso_channel: 'bill-payments' }, 'resolved');
    const first = alertGroupEvent(group([down, restored]), mapping);
    expect(alertGroupEvent(group([down]), mapping)?.id).toBe(first?.id);
    expect(first?.body({ open: true, lastEventAt: new Date('2026-12-01T12:00:00Z') })).toMatchObject({
      type: 'updated',
      channels: [
        { id: 'mobile-app', status: 'down' },
        { id: 'bill-payments', status: 'restored' },
      ],
      occurredAt: '2026-12-01T12:00:00.000Z',
    });
    expect(alertGroupEvent(group([{ ...down, startsAt: '2026-12-02T10:00:00Z' }]), mapping)?.id).not.toBe(
      first?.id,
    );
    const resolved = alertGroupEvent(group([{ ...down, status: 'resolved' }, restored]), mapping);
    expect(resolved?.id).not.toBe(first?.id);
    expect(resolved?.body(undefined)).toMatchObject({
      type: 'resolved',
      occurredAt: '2026-12-01T11:00:00.000Z',
    });
  });

  it('gives null for a group with no Aviso alert and refuses a status it does not know', () => {
    expect(alertGroupEvent(group([alert('a', {})]), mapping)).toBeNull();
    expect(() =>
      alertGroupEvent(group([alert('a', { aviso_channel: 'x', aviso_status: 'up' })]), mapping),
    ).toThrow('invalid fields');
  });
});
