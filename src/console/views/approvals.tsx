import { actorOf } from '../../access/caller';
import type { NoticeSummaryDto } from '../../notices/notice.dto';
import { formatNumber, formatTime } from '../i18n';
import { Layout, PageContext } from './layout';
import { RenderedText, Texts } from './preview';

export interface WaitingNotice {
  notice: NoticeSummaryDto;
  texts: RenderedText[];
}

/** `key:<id>:<name>` or `user:<id>:<email>` → the name an incident manager knows. */
export function displayName(actor: string | null): string {
  if (!actor) return '—';
  const [kind, , ...name] = actor.split(':');
  return kind === 'key' ? `${name.join(':')} (API key)` : name.join(':');
}

/** Approve and reject, for an approver; shown disabled, with the reason, to whoever submitted the notice. */
export function DecisionButtons({
  ctx,
  notice,
}: {
  ctx: PageContext;
  notice: { id: string; approval: { submittedBy: string | null } };
}) {
  const { t, person } = ctx;
  if (!person?.scopes.includes('notices:approve')) return <p class="small muted">{t('approvals.noScope')}</p>;
  const own = notice.approval.submittedBy === actorOf(person);
  return (
    <div class="actions" id={`decision-${notice.id}`}>
      <button
        type="button"
        data-testid="approve"
        disabled={own}
        title={own ? t('approvals.own') : undefined}
        hx-post={`/console/notices/${notice.id}/approve`}
        hx-target={`#decision-${notice.id}`}
        hx-swap="outerHTML"
      >
        {t('approvals.approve')}
      </button>
      <button
        type="button"
        class="secondary"
        data-testid="reject"
        hx-post={`/console/notices/${notice.id}/reject`}
        hx-target={`#decision-${notice.id}`}
        hx-swap="outerHTML"
      >
        {t('approvals.reject')}
      </button>
      {own ? (
        <p class="small muted" style="flex-basis:100%">
          {t('approvals.own')}
        </p>
      ) : null}
    </div>
  );
}

export function ApprovalsPage({ ctx, waiting }: { ctx: PageContext; waiting: WaitingNotice[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('approvals.title')}>
      <h1>{t('approvals.title')}</h1>
      {waiting.length === 0 ? <p class="card muted">{t('approvals.none')}</p> : null}
      {waiting.map(({ notice, texts }) => (
        <article class="card approval" data-notice={notice.id}>
          <h2 style="margin-top:0">
            <a href={`/console/notices/${notice.id}`}>{notice.incidentRef}</a> · {t(`type.${notice.type}`)} ·{' '}
            <span class={`sev-${notice.severity}`}>{t(`severity.${notice.severity}`)}</span>
          </h2>
          <div class="grid">
            <div>
              <p>
                <span class="percent">{formatNumber(notice.audience ?? 0, t.lang)}</span>{' '}
                {t('preview.recipients')}
              </p>
              <p class="small">
                {t('approvals.submittedBy')}: <strong>{displayName(notice.approval.submittedBy)}</strong>
                <br />
                {t('approvals.expires')}: {formatTime(notice.approval.expiresAt, t.lang)}
              </p>
              <DecisionButtons ctx={ctx} notice={notice} />
            </div>
            <div>
              <Texts t={t} texts={texts} />
            </div>
          </div>
        </article>
      ))}
    </Layout>
  );
}

export function DecisionResult({
  ctx,
  approved,
  error,
}: {
  ctx: PageContext;
  approved?: boolean;
  error?: string;
}) {
  const { t } = ctx;
  if (error)
    return (
      <div class="alert error" role="alert">
        {error}
      </div>
    );
  return (
    <div class={`alert ${approved ? 'ok' : 'warn'}`}>
      {approved ? t('approvals.approved') : t('approvals.rejected')}
    </div>
  );
}
