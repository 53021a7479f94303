/** Replies that withdraw SMS consent and give it back, in English and Colombian Spanish. */
const REVOKE = new Set(['STOP', 'PARAR', 'CANCELAR', 'BAJA']);
const RESTORE = new Set(['START', 'ALTA']);

/** What a customer's SMS reply asks for: a keyword alone, in any case, spaces around it ignored. */
export function consentKeyword(body: string | undefined): { keyword: string; consent: boolean } | null {
  const keyword = (body ?? '').trim().toUpperCase();
  if (REVOKE.has(keyword)) return { keyword, consent: false };
  if (RESTORE.has(keyword)) return { keyword, consent: true };
  return null;
}
