import type { ApiCaller } from '../access/caller';
import type { Role, UserRow } from '../database/schema';
import { scopesOf } from './roles';

/** Someone signed in to the console: acts as an ApiCaller named `user:<id>` with their role's scopes. */
export interface Person extends ApiCaller {
  userId: string;
  email: string;
  role: Role;
  mustChangePassword: boolean;
}

export function personOf(user: UserRow): Person {
  return {
    id: `user:${user.id}`,
    name: user.email,
    scopes: scopesOf(user.role),
    userId: user.id,
    email: user.email,
    role: user.role,
    mustChangePassword: user.must_change_password,
  };
}
