import { parseQuietWindow } from '../../../src/config/quiet-window';
import { quietUntil } from '../../../src/dispatch/quiet-hours';

describe(quietUntil.name, () => {
  const night = parseQuietWindow('21:00-07:00')!;

  it('holds a customer inside the window until it ends on their clock', () => {
    // 08:30 UTC is 03:30 in Bogotá (UTC-5) and 09:30 in Madrid (UTC+1, winter).
    const now = new Date('2026-12-03T08:30:20Z');
    expect(quietUntil(now, 'America/Bogota', night)).toEqual(new Date('2026-12-03T12:00:00Z'));
    expect(quietUntil(now, 'Europe/Madrid', night)).toBeNull();
  });

  it('counts the start as inside and the end as outside, on both sides of midnight', () => {
    expect(quietUntil(new Date('2026-12-03T02:00:00Z'), 'America/Bogota', night)).toEqual(
      new Date('2026-12-03T12:00:00Z'),
    );
    expect(quietUntil(new Date('2026-12-03T01:59:00Z'), 'America/Bogota', night)).toBeNull();
    expect(quietUntil(new Date('2026-12-03T12:00:00Z'), 'America/Bogota', night)).toBeNull();
    expect(quietUntil(new Date('2026-12-03T11:59:00Z'), 'America/Bogota', night)).toEqual(
      new Date('2026-12-03T12:00:00Z'),
    );
  });

  it('takes a window within one day too', () => {
    const lunch = parseQuietWindow('12:00-14:00')!;
    expect(quietUntil(new Date('2026-12-03T12:30:00Z'), 'UTC', lunch)).toEqual(
      new Date('2026-12-03T14:00:00Z'),
    );
    expect(quietUntil(new Date('2026-12-03T14:30:00Z'), 'UTC', lunch)).toBeNull();
  });

  it('parses HH:MM-HH:MM, turns off on empty, refuses the rest', () => {
    expect(parseQuietWindow('22:30-06:15')).toEqual({ start: 1350, end: 375 });
    expect(parseQuietWindow('')).toBeNull();
    expect(() => parseQuietWindow('9:00-7:00')).toThrow(/HH:MM-HH:MM/);
    expect(() => parseQuietWindow('24:00-07:00')).toThrow(/HH:MM-HH:MM/);
    expect(() => parseQuietWindow('07:00-07:00')).toThrow(/same time/);
  });
});
