/**
 * A fixed-offset zone whose clock now reads `hour` o'clock, with its offset in hours (Etc/GMT names count their
 * offsets backwards: Etc/GMT-5 is UTC+5).
 */
export function zoneAt(hour: number): { zone: string; offset: number } {
  let offset = hour - new Date().getUTCHours();
  if (offset < -12) offset += 24;
  if (offset > 14) offset -= 24;
  return { zone: offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`, offset };
}
