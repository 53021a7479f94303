import { isGsm7 } from '../providers/sms/sms-segments';

/**
 * Look-alikes Twilio's Smart Encoding replaces with GSM-7 characters (its published list: quotes, dashes, ellipsis,
 * odd spaces and a few symbols). Done here, before counting segments, so the preview and the ledger count what is
 * really sent whether or not the account has Smart Encoding on.
 */
const LOOK_ALIKES: Record<string, string> = {
  '«': '"',
  '»': '"',
  '“': '"',
  '”': '"',
  '„': '"',
  '‟': '"',
  '″': '"',
  ʺ: '"',
  '˝': '"',
  '‘': "'",
  '’': "'",
  '‚': ',',
  '‛': "'",
  '′': "'",
  ʹ: "'",
  ʻ: "'",
  ʼ: "'",
  ʽ: "'",
  ˈ: "'",
  '‹': '<',
  '›': '>',
  '‐': '-',
  '‑': '-',
  '‒': '-',
  '–': '-',
  '—': '-',
  '―': '-',
  '−': '-',
  '…': '...',
  '•': '-',
  '∕': '/',
  '⁄': '/',
  '˂': '<',
  '˃': '>',
  '¦': '|',
  '\u00a0': ' ',
  '\u2000': ' ',
  '\u2001': ' ',
  '\u2002': ' ',
  '\u2003': ' ',
  '\u2004': ' ',
  '\u2005': ' ',
  '\u2006': ' ',
  '\u2007': ' ',
  '\u2008': ' ',
  '\u2009': ' ',
  '\u200a': ' ',
  '\u202f': ' ',
  '\u205f': ' ',
  '\u3000': ' ',
  '\u200b': '',
  '\u200c': '',
  '\u200d': '',
  '\u2060': '',
  '\ufeff': '',
  '\t': ' ',
};

/** Combining marks left by canonical decomposition (á → a + ◌́). */
const COMBINING_MARKS = /\p{Mn}/gu;

/**
 * The text with every character that has a plain GSM-7 equivalent replaced by it: Smart Encoding's look-alikes,
 * then letters whose accent GSM-7 lacks (á í ó ú Á Í Ó Ú ç ê …) lose it. Letters GSM-7 has with their accent
 * (é ñ ü à, ¿ ¡) stay. A character with no equivalent (an emoji, a Cyrillic letter) is kept, and the message is
 * then sent, and counted, as UCS-2.
 */
export function shapeToGsm7(text: string): string {
  let shaped = '';
  for (const char of text) {
    if (isGsm7(char)) shaped += char;
    else if (char in LOOK_ALIKES) shaped += LOOK_ALIKES[char];
    else {
      const plain = char.normalize('NFD').replace(COMBINING_MARKS, '');
      shaped += plain && [...plain].every(isGsm7) ? plain : char;
    }
  }
  return shaped;
}
