import type { Scope } from '../access/scopes';
import type { Role } from '../database/schema';

export const ROLES: readonly Role[] = ['author', 'approver', 'viewer'];

/** What each kind of person may do: authors declare and update incidents; approvers also release held notices. */
const SCOPES_OF: Record<Role, Scope[]> = {
  author: ['incidents:read', 'events:write'],
  approver: ['incidents:read', 'events:write', 'notices:approve'],
  viewer: ['incidents:read'],
};

export function scopesOf(role: Role): Scope[] {
  return SCOPES_OF[role];
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
