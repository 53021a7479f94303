import { countSegments, SegmentCount } from '../providers/sms/sms-segments';
import { shapeToGsm7 } from './gsm7-shaping';

/** A notice's parts as the SMS carries them; the optional ones are what fitting may drop. */
export interface SmsParts {
  title: string;
  message: string;
  advice?: string;
  assurances: string[];
  nextUpdate?: string;
  antiPhishing?: string;
  statusLink?: string;
}

export interface FittedSms {
  text: string;
  count: SegmentCount;
  /** What was left out or shortened to fit, in the order it happened. */
  dropped: string[];
}

const ELLIPSIS = '...';

function compose(p: SmsParts): string {
  const body = [p.message, p.advice, ...p.assurances, p.nextUpdate, p.antiPhishing, p.statusLink].filter(
    (part): part is string => !!part,
  );
  return `${p.title}: ${body.join(' ')}`;
}

/**
 * Shapes the parts to GSM-7 and fits them into `maxSegments` by giving up, in this order: the advice, the
 * assurances (last first), the next-update line, then the message's last words (cut at a word, with "...").
 * The title, the anti-phishing line and the status link are kept; only when those alone do not fit is the
 * anti-phishing line dropped and, last, the whole text cut at a word.
 */
export function fitSms(parts: SmsParts, maxSegments: number): FittedSms {
  const shaped: SmsParts = {
    title: shapeToGsm7(parts.title),
    message: shapeToGsm7(parts.message),
    advice: parts.advice && shapeToGsm7(parts.advice),
    assurances: parts.assurances.map(shapeToGsm7),
    nextUpdate: parts.nextUpdate && shapeToGsm7(parts.nextUpdate),
    antiPhishing: parts.antiPhishing && shapeToGsm7(parts.antiPhishing),
    statusLink: parts.statusLink && shapeToGsm7(parts.statusLink),
  };
  const dropped: string[] = [];
  const fits = (p: SmsParts) => countSegments(compose(p)).segments <= maxSegments;
  const result = (p: SmsParts): FittedSms => {
    const text = compose(p);
    return { text, count: countSegments(text), dropped };
  };
  let current = shaped;
  const steps: [string, (p: SmsParts) => SmsParts | null][] = [
    ['advice', (p) => (p.advice ? { ...p, advice: undefined } : null)],
    ...shaped.assurances.map((_, i): [string, (p: SmsParts) => SmsParts | null] => [
      `assurance ${shaped.assurances.length - i}`,
      (p) => ({ ...p, assurances: p.assurances.slice(0, -1) }),
    ]),
    ['next update', (p) => (p.nextUpdate ? { ...p, nextUpdate: undefined } : null)],
  ];
  for (const [name, step] of steps) {
    if (fits(current)) return result(current);
    const next = step(current);
    if (next) {
      current = next;
      dropped.push(name);
    }
  }
  if (fits(current)) return result(current);
  const cut = longestFitting(current.message, (message) => fits({ ...current, message }));
  dropped.push('message cut');
  if (cut !== null) return result({ ...current, message: cut });
  current = { ...current, message: '', antiPhishing: undefined };
  dropped.push('anti-phishing line');
  if (fits(current)) return result(current);
  const whole = compose(current);
  const text = longestFitting(whole, (t) => countSegments(t).segments <= maxSegments) ?? '';
  dropped.push('text cut');
  return { text, count: countSegments(text), dropped };
}

/** The longest word-boundary prefix of `text`, ending in "...", that `fits`; null when not even one word does. */
function longestFitting(text: string, fits: (candidate: string) => boolean): string | null {
  const words = text.split(' ');
  for (let n = words.length - 1; n > 0; n -= 1) {
    const candidate = `${words
      .slice(0, n)
      .join(' ')
      .replace(/[\s.,;:]+$/, '')}${ELLIPSIS}`;
    if (fits(candidate)) return candidate;
  }
  return null;
}
