import type { Medium } from '../../database/schema';
import type { NoticeDto } from '../../notices/notice.dto';
import { formatNumber, formatTime } from '../i18n';
import { displayName, DecisionButtons } from './approvals';
import { Layout, PageContext } from './layout';

const SHOWN = ['delivered', 'sent', 'failed', 'skipped'] as const;
const FINAL = ['done', 'cancelled', 'rejected'];

export function isFinal(notice: NoticeDto): boolean {
  return FINAL.includes(notice.state);
}

/** Share of a notice's recipients that are settled (anything but pending), 0–100. */
export function percentDone(notice: NoticeDto): number {
  const total = (['push', 'sms'] as Medium[]).reduce(
    (n, m) => n + Object.values(notice.counts[m]).reduce((a, b) => a + b, 0),
    0,
  );
  if (!total) return notice.state === 'done' ? 100 : 0;
  const pending = notice.counts.push.pending + notice.counts.sms.pending;
  if (notice.state === 'planning' || notice.state === 'awaiting-approval') return 0;
  return Math.floor(((total - pending) / total) * 100);
}

function MediumBar({ ctx, notice, medium }: { ctx: PageContext; notice: NoticeDto; medium: Medium }) {
  const { t } = ctx;
  const counts = notice.counts[medium];
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  if (!total) return null;
  return (
    <div class="medium" data-medium={medium}>
      <strong>{t(`medium.${medium}`)}</strong>{' '}
      <span class="small muted">({formatNumber(total, t.lang)})</span>
      <div class="bar" role="img" aria-label={`${t(`medium.${medium}`)}`}>
        {SHOWN.map((state) => (
          <span class={state} style={`width:${(counts[state] / total) * 100}%`} />
        ))}
      </div>
      <div class="legend">
        {[...SHOWN, 'pending' as const].map((state) => (
          <span>
            <i style={`background:var(--${state})`} />
            {formatNumber(counts[state], t.lang)} {t(`count.${state}`)}
          </span>
        ))}
      </div>
    </div>
  );
}

/** The live part of a notice's page: re-sent over server-sent events while the notice moves. */
export function ProgressPanel({ ctx, notice }: { ctx: PageContext; notice: NoticeDto }) {
  const { t } = ctx;
  const percent = percentDone(notice);
  const reasons = [
    ...Object.entries(notice.reasons.failed).map(([r, n]) => ['failed', r, n] as const),
    ...Object.entries(notice.reasons.skipped).map(([r, n]) => ['skipped', r, n] as const),
  ];
  const canWrite = ctx.person?.scopes.includes('events:write');
  return (
    <div id="progress" data-state={notice.state} data-percent={percent}>
      <p>
        <span class="percent" data-testid="percent">
          {percent}%
        </span>{' '}
        · {t('notice.state')}:{' '}
        <span class={`state ${notice.state}`} data-testid="notice-state">
          {t(`state.${notice.state}`)}
        </span>
        {notice.approval.rejection ? ` (${notice.approval.rejection})` : ''}{' '}
        {isFinal(notice) ? null : <span class="small muted">· {t('notice.live')}</span>}
      </p>
      {notice.state === 'awaiting-approval' ? (
        <>
          <div class="alert warn">{t('notice.waiting')}</div>
          <DecisionButtons ctx={ctx} notice={notice} />
        </>
      ) : null}
      {notice.approval.decidedBy ? (
        <p class="small">
          {t(notice.approval.rejection ? 'notice.rejectedBy' : 'notice.approvedBy')}:{' '}
          <strong>{displayName(notice.approval.decidedBy)}</strong> ·{' '}
          {formatTime(notice.approval.decidedAt, t.lang)}
        </p>
      ) : null}
      <MediumBar ctx={ctx} notice={notice} medium="push" />
      <MediumBar ctx={ctx} notice={notice} medium="sms" />
      <p class="small">
        {t('notice.throughput')}:{' '}
        {t('notice.perSecond', { n: formatNumber(notice.throughput.perSecond, t.lang) })} ·{' '}
        {formatNumber(notice.throughput.sent, t.lang)} {t('count.sent')}
      </p>
      {reasons.length ? (
        <>
          <h3 class="small">{t('notice.reasons')}</h3>
          <ul class="small">
            {reasons.map(([state, reason, n]) => (
              <li>
                {t(`count.${state}`)} · <code>{reason}</code>: {formatNumber(n, t.lang)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {canWrite ? (
        <div class="actions">
          {['planning', 'awaiting-approval', 'sending'].includes(notice.state) ? (
            <button
              class="danger"
              hx-post={`/console/notices/${notice.id}/cancel`}
              hx-confirm={t('notice.cancelConfirm')}
              hx-target="#progress"
              hx-swap="outerHTML"
            >
              {t('notice.cancel')}
            </button>
          ) : null}
          {(notice.state === 'sending' || notice.state === 'done') &&
          notice.reasons.failed &&
          Object.keys(notice.reasons.failed).length ? (
            <button
              class="secondary"
              hx-post={`/console/notices/${notice.id}/retry-failed`}
              hx-target="#progress"
              hx-swap="outerHTML"
            >
              {t('notice.retry')}
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

export function NoticePage({
  ctx,
  notice,
  incidentRef,
}: {
  ctx: PageContext;
  notice: NoticeDto;
  incidentRef: string;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={`${t('notice.title')} ${incidentRef}`}>
      <h1>
        {t('notice.title')} · <a href={`/console/incidents/${notice.incidentId}`}>{incidentRef}</a> ·{' '}
        {t(`type.${notice.type}`)}
      </h1>
      <div class="card">
        <p class="small muted">
          {formatTime(notice.createdAt, t.lang)} · {t('approvals.submittedBy')}:{' '}
          {displayName(notice.approval.submittedBy)}
        </p>
        {isFinal(notice) ? (
          <ProgressPanel ctx={ctx} notice={notice} />
        ) : (
          <div
            hx-ext="sse"
            sse-connect={`/console/notices/${notice.id}/progress`}
            sse-swap="progress"
            sse-close="done"
            hx-swap="innerHTML"
          >
            <ProgressPanel ctx={ctx} notice={notice} />
          </div>
        )}
      </div>
    </Layout>
  );
}
