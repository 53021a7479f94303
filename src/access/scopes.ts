export const SCOPES = [
  'events:write',
  'customers:write',
  'incidents:read',
  'audit:read',
  'notices:approve',
  'admin',
] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** `admin` holds every scope. */
export function grants(held: readonly Scope[], required: Scope): boolean {
  return held.includes('admin') || held.includes(required);
}
