import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { ApiCaller } from './caller';
import { ApiKeysRepository } from './api-keys.repository';
import { isScope, Scope } from './scopes';

const KEY_PATTERN = /^avk_([a-z0-9]{12})\.([A-Za-z0-9_-]{43})$/;
/** Verified keys are cached briefly so a busy event API does not read the key table per request; a revoke takes effect within this time. */
const CACHE_MS = 5_000;

interface CreatedKey {
  id: string;
  /** Shown once; only its hash is stored. */
  key: string;
  scopes: Scope[];
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

@Injectable()
export class ApiKeysService {
  private readonly cache = new Map<string, { caller: ApiCaller | null; hash: string; until: number }>();

  constructor(private readonly keys: ApiKeysRepository) {}

  async create(name: string, scopes: string[]): Promise<CreatedKey> {
    const unknown = scopes.filter((s) => !isScope(s));
    if (!name.trim()) throw DomainError.validation([{ field: 'name', reason: 'must not be empty' }]);
    if (!scopes.length || unknown.length) {
      throw DomainError.validation([
        { field: 'scopes', reason: `unknown or missing scopes: ${unknown.join(', ') || '(none)'}` },
      ]);
    }
    // Random ids: a sortable alphabet of 36 characters, 12 long (62 bits) for lookup; the 256-bit secret is the credential.
    const id = Array.from(randomBytes(12), (b) => '0123456789abcdefghijklmnopqrstuvwxyz'[b % 36]).join('');
    const secret = randomBytes(32).toString('base64url');
    await this.keys.insert({ id, name: name.trim(), secret_hash: hashSecret(secret), scopes });
    return { id, key: `avk_${id}.${secret}`, scopes: scopes as Scope[] };
  }

  list() {
    return this.keys.list();
  }

  async revoke(id: string): Promise<void> {
    if (!(await this.keys.revoke(id))) throw DomainError.notFound('Active API key', id);
    this.cache.delete(id);
  }

  /** Returns the caller for a presented key, or throws 401 without saying which part was wrong. */
  async authenticate(presented: string | undefined): Promise<ApiCaller> {
    const match = presented ? KEY_PATTERN.exec(presented) : null;
    const caller = match ? await this.lookup(match[1], match[2]) : null;
    if (!caller)
      throw new DomainError(
        ErrorCode.Unauthenticated,
        'A valid API key is required: Authorization: Bearer <key>.',
      );
    return caller;
  }

  private async lookup(id: string, secret: string): Promise<ApiCaller | null> {
    const now = Date.now();
    let entry = this.cache.get(id);
    if (!entry || entry.until <= now) {
      const row = await this.keys.find(id);
      const active = row && !row.revoked_at;
      entry = {
        caller: active ? { id: `key:${row.id}`, name: row.name, scopes: row.scopes.filter(isScope) } : null,
        hash: active ? row.secret_hash : '',
        until: now + CACHE_MS,
      };
      this.cache.set(id, entry);
    }
    if (!entry.caller) return null;
    const presented = Buffer.from(hashSecret(secret), 'hex');
    return timingSafeEqual(presented, Buffer.from(entry.hash, 'hex')) ? entry.caller : null;
  }
}
