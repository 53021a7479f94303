/** `+573001234567` → `+57******4567`: enough to tell numbers apart in logs, not enough to call one. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  if (phone.length <= 6) return '*'.repeat(phone.length);
  return phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4);
}

/** Device tokens and API keys: a short prefix and the length. */
export function maskToken(token: string | null | undefined): string {
  if (!token) return '';
  return `${token.slice(0, 6)}…(${token.length})`;
}
