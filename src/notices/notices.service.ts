import { Inject, Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DomainError } from '../common/errors/domain-error';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import type { NoticeRow } from '../database/schema';
import {
  DeliveryStateCountsDto,
  ListNoticesQueryDto,
  NoticeApprovalDto,
  NoticeCountsDto,
  NoticeDeferredDto,
  NoticeDto,
  NoticeListDto,
  NoticeSummaryDto,
  NoticeThroughputDto,
} from './notice.dto';
import { DeliveryCount, NoticesRepository } from './notices.repository';

const DEFAULT_PAGE = 50;
const noCounts = (): DeliveryStateCountsDto => ({
  pending: 0,
  deferred: 0,
  sent: 0,
  delivered: 0,
  failed: 0,
  skipped: 0,
});

/** A notice's progress as operators see it. */
@Injectable()
export class NoticesService {
  constructor(
    private readonly notices: NoticesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(query: ListNoticesQueryDto): Promise<NoticeListDto> {
    const rows = await this.notices.list({ state: query.state, limit: query.limit ?? DEFAULT_PAGE });
    return { items: rows.map((n) => this.summaryOf(n)) };
  }

  /** Every notice of one incident (an incident has one per event, a handful). */
  async ofIncident(incidentId: string): Promise<NoticeSummaryDto[]> {
    const rows = await this.notices.list({ incidentId, limit: 1000 });
    return rows.map((n) => this.summaryOf(n));
  }

  private summaryOf(n: NoticeRow & { incident_ref: string }): NoticeSummaryDto {
    return {
      id: n.id,
      incidentId: n.incident_id,
      incidentRef: n.incident_ref,
      eventId: n.event_id,
      type: n.type,
      severity: n.severity,
      state: n.state,
      createdAt: n.created_at.toISOString(),
      audience: n.audience_total,
      content: n.content,
      approval: this.approvalOf(n),
    };
  }

  private approvalOf(n: NoticeRow): NoticeApprovalDto {
    const waiting = n.state === 'awaiting-approval' && n.planned_at;
    return {
      released: n.released,
      submittedBy: n.submitted_by,
      decidedBy: n.decided_by,
      decidedAt: n.decided_at?.toISOString() ?? null,
      rejection: n.rejection,
      expiresAt: waiting
        ? new Date(waiting.getTime() + this.config.env.APPROVAL_TTL * 1000).toISOString()
        : null,
    };
  }

  async get(id: string): Promise<NoticeDto> {
    const notice = isUUID(id) ? await this.notices.find(id) : undefined;
    if (!notice) throw DomainError.notFound('Notice', id);
    const rows = await this.notices.deliveryCounts(id);
    const counts: NoticeCountsDto = { push: noCounts(), sms: noCounts() };
    const reasons: NoticeDto['reasons'] = { failed: {}, skipped: {} };
    for (const row of rows) {
      counts[row.medium][row.deferred ? 'deferred' : row.state] += row.count;
      if ((row.state === 'failed' || row.state === 'skipped') && row.reason) {
        reasons[row.state][row.reason] = (reasons[row.state][row.reason] ?? 0) + row.count;
      }
    }
    return {
      id: notice.id,
      incidentId: notice.incident_id,
      eventId: notice.event_id,
      type: notice.type,
      state: notice.state,
      createdAt: notice.created_at.toISOString(),
      audience: { total: notice.audience_total, planned: notice.planned_count },
      counts,
      reasons,
      deferred: deferredOf(rows),
      throughput: throughputOf(rows),
      approval: this.approvalOf(notice),
    };
  }
}

function deferredOf(rows: DeliveryCount[]): NoticeDeferredDto {
  const held = rows.filter((r) => r.deferred);
  const times = held.flatMap((r) => [r.firstRelease, r.lastRelease]).flatMap((t) => (t ? [t.getTime()] : []));
  return {
    total: held.reduce((n, r) => n + r.count, 0),
    firstAt: times.length ? new Date(Math.min(...times)).toISOString() : null,
    lastAt: times.length ? new Date(Math.max(...times)).toISOString() : null,
  };
}

function throughputOf(rows: DeliveryCount[]): NoticeThroughputDto {
  const sent = rows.filter((r) => r.firstSent);
  const first = Math.min(...sent.map((r) => (r.firstSent as Date).getTime()));
  const last = Math.max(...sent.map((r) => (r.lastSent as Date).getTime()));
  const count = sent.reduce((n, r) => n + r.count, 0);
  return {
    sent: count,
    firstSentAt: count ? new Date(first).toISOString() : null,
    lastSentAt: count ? new Date(last).toISOString() : null,
    perSecond: count > 1 && last > first ? Math.round((count / (last - first)) * 1000) : 0,
  };
}
