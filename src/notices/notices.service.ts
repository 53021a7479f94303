import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DomainError } from '../common/errors/domain-error';
import { DeliveryStateCountsDto, NoticeCountsDto, NoticeDto } from './notice.dto';
import { NoticesRepository } from './notices.repository';

const noCounts = (): DeliveryStateCountsDto => ({ pending: 0, sent: 0, delivered: 0, failed: 0, skipped: 0 });

/** A notice's progress as operators see it. */
@Injectable()
export class NoticesService {
  constructor(private readonly notices: NoticesRepository) {}

  async get(id: string): Promise<NoticeDto> {
    const notice = isUUID(id) ? await this.notices.find(id) : undefined;
    if (!notice) throw DomainError.notFound('Notice', id);
    const counts: NoticeCountsDto = { push: noCounts(), sms: noCounts() };
    for (const row of await this.notices.deliveryCounts(id)) counts[row.medium][row.state] = row.count;
    return {
      id: notice.id,
      incidentId: notice.incident_id,
      eventId: notice.event_id,
      type: notice.type,
      state: notice.state,
      createdAt: notice.created_at.toISOString(),
      audience: { total: notice.audience_total, planned: notice.planned_count },
      counts,
    };
  }
}
