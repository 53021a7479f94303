export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentCount {
  encoding: SmsEncoding;
  segments: number;
  /** Length as the network counts it: GSM-7 septets (extension characters take 2) or UCS-2 UTF-16 code units. */
  characters: number;
}

/** GSM 03.38 default alphabet (without ESC, which only introduces the extension table). */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** Extension table: each is sent as ESC + character, so it costs two septets. */
const GSM_EXTENSION = new Set('\f^{}\\[]~|€');

const LIMITS: Record<SmsEncoding, { single: number; perPart: number }> = {
  'GSM-7': { single: 160, perPart: 153 },
  'UCS-2': { single: 70, perPart: 67 },
};

/**
 * How many SMS segments a text costs, as carriers (and Twilio) bill it. One character outside GSM-7 makes the whole
 * message UCS-2. A multi-part message never splits an escape sequence or a surrogate pair, so a part may hold one
 * unit less than its capacity.
 */
export function countSegments(text: string): SegmentCount {
  const units = gsmUnits(text);
  const encoding: SmsEncoding = units ? 'GSM-7' : 'UCS-2';
  const costs = units ?? ucs2Units(text);
  const characters = costs.reduce((sum, cost) => sum + cost, 0);
  return { encoding, characters, segments: segmentsFor(costs, characters, LIMITS[encoding]) };
}

/** Whether the character has a GSM-7 form (basic or extension table). */
export function isGsm7(char: string): boolean {
  return GSM_BASIC.has(char) || GSM_EXTENSION.has(char);
}

/** Septet cost of each character, or null when one of them has no GSM-7 form. */
function gsmUnits(text: string): number[] | null {
  const costs: number[] = [];
  for (const char of text) {
    if (GSM_BASIC.has(char)) costs.push(1);
    else if (GSM_EXTENSION.has(char)) costs.push(2);
    else return null;
  }
  return costs;
}

/** UTF-16 code units of each code point: 2 for astral characters such as emoji. */
function ucs2Units(text: string): number[] {
  return Array.from(text, (char) => char.length);
}

function segmentsFor(costs: number[], total: number, limit: { single: number; perPart: number }): number {
  if (total === 0) return 0;
  if (total <= limit.single) return 1;
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > limit.perPart) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return segments;
}
