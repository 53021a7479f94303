import type { ChannelCatalog } from '../../config/channel-catalog';
import type { IncidentDetailDto, IncidentSummaryDto } from '../../incidents/incident.dto';
import type { NoticeSummaryDto } from '../../notices/notice.dto';
import { formatTime } from '../i18n';
import { Layout, PageContext } from './layout';

export function channelName(catalog: ChannelCatalog, id: string, lang: string): string {
  const names = catalog.channels.find((c) => c.id === id)?.names;
  return names?.[lang] ?? names?.[catalog.defaultLocale] ?? id;
}

function Channels({
  ctx,
  catalog,
  channels,
}: {
  ctx: PageContext;
  catalog: ChannelCatalog;
  channels: IncidentSummaryDto['channels'];
}) {
  return (
    <>
      {channels.map((c) => (
        <span class={`chip ${c.status}`} title={c.id}>
          {channelName(catalog, c.id, ctx.t.lang)}: {ctx.t(`status.${c.status}`)}
        </span>
      ))}
    </>
  );
}

function NoticeLink({ ctx, notice }: { ctx: PageContext; notice: NoticeSummaryDto | undefined }) {
  if (!notice) return <span class="muted">—</span>;
  return (
    <a href={`/console/notices/${notice.id}`}>
      {ctx.t(`type.${notice.type}`)}:{' '}
      <span class={`state ${notice.state}`}>{ctx.t(`state.${notice.state}`)}</span>
      {notice.audience !== null ? ` · ${notice.audience} ${ctx.t('preview.recipients')}` : ''}
    </a>
  );
}

export function IncidentsPage({
  ctx,
  catalog,
  incidents,
  latest,
}: {
  ctx: PageContext;
  catalog: ChannelCatalog;
  incidents: IncidentSummaryDto[];
  latest: Map<string, NoticeSummaryDto>;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('incidents.title')}>
      <h1>{t('incidents.title')}</h1>
      {incidents.length === 0 ? (
        <p class="card muted">{t('incidents.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('incidents.ref')}</th>
              <th>{t('incidents.status')}</th>
              <th>{t('incidents.severity')}</th>
              <th>{t('incidents.channels')}</th>
              <th>{t('incidents.regions')}</th>
              <th>{t('incidents.latestNotice')}</th>
              <th>{t('incidents.lastEvent')}</th>
            </tr>
          </thead>
          <tbody>
            {incidents.map((i) => (
              <tr>
                <td>
                  <a href={`/console/incidents/${i.id}`}>{i.ref}</a>
                </td>
                <td>{t(`status.${i.status}`)}</td>
                <td class={`sev-${i.severity}`}>{t(`severity.${i.severity}`)}</td>
                <td>
                  <Channels ctx={ctx} catalog={catalog} channels={i.channels} />
                </td>
                <td>{i.regions?.join(', ') ?? t('incidents.everywhere')}</td>
                <td class="small">
                  <NoticeLink ctx={ctx} notice={latest.get(i.id)} />
                </td>
                <td class="small">{formatTime(i.lastEventAt, t.lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

export function IncidentPage({
  ctx,
  catalog,
  incident,
  notices,
}: {
  ctx: PageContext;
  catalog: ChannelCatalog;
  incident: IncidentDetailDto;
  notices: Map<string, NoticeSummaryDto>;
}) {
  const { t } = ctx;
  const ref = encodeURIComponent(incident.ref);
  const canWrite = ctx.person?.scopes.includes('events:write');
  return (
    <Layout ctx={ctx} title={incident.ref}>
      <h1>
        {incident.ref} · <span class={`sev-${incident.severity}`}>{t(`severity.${incident.severity}`)}</span>{' '}
        · {t(`status.${incident.status}`)}
      </h1>
      <div class="card">
        <Channels ctx={ctx} catalog={catalog} channels={incident.channels} />
        <p class="small muted">
          {t('incidents.regions')}: {incident.regions?.join(', ') ?? t('incidents.everywhere')} ·{' '}
          {t('incidents.opened')}: {formatTime(incident.openedAt, t.lang)}
        </p>
        {canWrite && incident.status === 'open' ? (
          <div class="actions">
            <a class="button secondary" href={`/console/events/new?incident=${ref}&type=updated`}>
              {t('incident.update')}
            </a>
            <a class="button secondary" href={`/console/events/new?incident=${ref}&type=updated&restore=1`}>
              {t('incident.restore')}
            </a>
            <a class="button" href={`/console/events/new?incident=${ref}&type=resolved`}>
              {t('incident.resolve')}
            </a>
          </div>
        ) : null}
      </div>
      <h2>{t('incident.timeline')}</h2>
      <ol class="timeline">
        {incident.timeline.map((e) => {
          return (
            <li>
              <strong>{t(`type.${e.type}`)}</strong> ·{' '}
              <span class={`sev-${e.severity}`}>{t(`severity.${e.severity}`)}</span> ·{' '}
              <span class="small muted">{formatTime(e.occurredAt, t.lang)}</span>
              <div>
                <Channels ctx={ctx} catalog={catalog} channels={e.channels} />
              </div>
              <div class="small">
                {e.stale ? (
                  <span class="muted">{t('incident.stale')}</span>
                ) : e.noticeId ? (
                  <NoticeLink ctx={ctx} notice={notices.get(e.noticeId)} />
                ) : (
                  <span class="muted">{t('incident.noNotice')}</span>
                )}
              </div>
            </li>
          );
        })}
      </ol>
    </Layout>
  );
}
