import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { decodeTimeCursor, encodeTimeCursor } from '../common/pagination/time-cursor';
import { AuditEntryDto, AuditPageDto, ListAuditQueryDto } from './audit.dto';
import { AuditRepository, AuditRow } from './audit.repository';

const DEFAULT_PAGE = 100;

/** Audit ids are a bigint identity. */
const isAuditId = (id: string) => /^\d{1,19}$/.test(id);

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
    const after = query.cursor === undefined ? undefined : decodeTimeCursor(query.cursor, isAuditId);
    const rows = await this.audit.page(
      { from, to, actor: query.actor, action: query.action },
      limit + 1,
      after,
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(entryOf),
      nextCursor: rows.length > limit ? encodeTimeCursor(last.at, String(last.id)) : null,
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
