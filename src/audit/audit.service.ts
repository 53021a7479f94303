import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { AuditEntryDto, AuditPageDto, ListAuditQueryDto } from './audit.dto';
import { AuditRepository, AuditRow } from './audit.repository';

const DEFAULT_PAGE = 100;

@Injectable()
export class AuditService {
  constructor(private readonly audit: AuditRepository) {}

  async list(query: ListAuditQueryDto): Promise<AuditPageDto> {
    const limit = query.limit ?? DEFAULT_PAGE;
    const from = query.from === undefined ? undefined : new Date(query.from);
    const to = query.to === undefined ? undefined : new Date(query.to);
    if (from && to && from >= to) {
      throw DomainError.validation([{ field: 'to', reason: 'must be later than from' }]);
    }
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.audit.page(
      { from, to, actor: query.actor, action: query.action },
      limit + 1,
      after,
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(entryOf),
      nextCursor: rows.length > limit ? encodeCursor(last) : null,
    };
  }
}

export function entryOf(row: AuditRow): AuditEntryDto {
  return {
    id: String(row.id),
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    target: row.target,
    detail: row.detail,
  };
}

function encodeCursor(row: AuditRow): string {
  return Buffer.from(JSON.stringify([row.at.toISOString(), String(row.id)])).toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const when = new Date(String(at));
    if (typeof id === 'string' && /^\d{1,19}$/.test(id) && !Number.isNaN(when.getTime()))
      return { at: when, id };
  } catch {
    // fall through to the validation error
  }
  throw DomainError.validation([{ field: 'cursor', reason: 'is not a cursor returned by this endpoint' }]);
}
