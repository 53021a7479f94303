/** An incident event body as upstream systems send it; only what a test cares about needs overriding. */
export interface EventBody {
  id: string;
  incidentRef: string;
  type: 'opened' | 'updated' | 'resolved';
  severity: 'critical' | 'major' | 'minor';
  channels: { id: string; status: 'down' | 'degraded' | 'restored' }[];
  regions?: string[];
  message?: Record<string, string>;
  title?: Record<string, string>;
  advice?: Record<string, string>;
  media?: ('push' | 'sms')[];
  assurances?: string[];
  nextUpdateAt?: string;
  occurredAt: string;
}

let sequence = 0;

export function eventBody(overrides: Partial<EventBody> = {}): EventBody {
  sequence += 1;
  return {
    id: `evt-${process.pid}-${Date.now()}-${sequence}`,
    incidentRef: `INC-${process.pid}-${sequence}`,
    type: 'opened',
    severity: 'major',
    channels: [{ id: 'mobile-app', status: 'down' }],
    message: { 'es-CO': 'Nuestra app presenta fallas.', en: 'Our app is failing.' },
    occurredAt: '2026-11-25T10:00:00Z',
    ...overrides,
  };
}
