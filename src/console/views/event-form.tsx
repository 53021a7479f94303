import type { ChannelCatalog } from '../../config/channel-catalog';
import type { ChannelStatus, EventType, Severity } from '../../database/schema';
import { channelName } from './incidents';
import { ErrorBanner, Layout, PageContext } from './layout';

/** What the form holds, as typed: re-rendered with the person's input when the event is refused. */
export interface EventFormValues {
  eventId: string;
  incidentRef: string;
  type: EventType;
  severity: Severity;
  channels: Record<string, ChannelStatus | ''>;
  regions: string;
  message: Record<string, string>;
}

const TYPES: EventType[] = ['opened', 'updated', 'resolved'];
const SEVERITIES: Severity[] = ['critical', 'major', 'minor'];
const STATUSES: ChannelStatus[] = ['down', 'degraded', 'restored'];

export function EventFormPage({
  ctx,
  catalog,
  values,
  error,
}: {
  ctx: PageContext;
  catalog: ChannelCatalog;
  values: EventFormValues;
  error?: { message: string; errors: { field: string; reason: string }[] };
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('event.title')}>
      <h1>{t('event.title')}</h1>
      {error ? <ErrorBanner ctx={ctx} message={error.message} errors={error.errors} /> : null}
      <div class="grid">
        <form
          id="event-form"
          class="card"
          method="post"
          action="/console/events"
          hx-post="/console/events/preview"
          hx-trigger="input delay:400ms, change, load"
          hx-target="#preview"
          hx-sync="this:replace"
        >
          <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
          <input type="hidden" name="eventId" value={values.eventId} />
          <div class="row">
            <div>
              <label for="incidentRef">{t('event.incidentRef')}</label>
              <input
                id="incidentRef"
                name="incidentRef"
                type="text"
                required
                maxLength={64}
                value={values.incidentRef}
              />
            </div>
            <div>
              <label for="type">{t('event.type')}</label>
              <select id="type" name="type">
                {TYPES.map((type) => (
                  <option value={type} selected={values.type === type}>
                    {t(`type.${type}`)}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label for="severity">{t('event.severity')}</label>
              <select id="severity" name="severity">
                {SEVERITIES.map((s) => (
                  <option value={s} selected={values.severity === s}>
                    {t(`severity.${s}`)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <label>{t('event.channels')}</label>
          <div class="channels">
            {catalog.channels.map((c) => (
              <>
                <label for={`channel.${c.id}`}>{channelName(catalog, c.id, t.lang)}</label>
                <select id={`channel.${c.id}`} name={`channel.${c.id}`}>
                  <option value="">{t('status.notAffected')}</option>
                  {STATUSES.map((s) => (
                    <option value={s} selected={values.channels[c.id] === s}>
                      {t(`status.${s}`)}
                    </option>
                  ))}
                </select>
              </>
            ))}
          </div>
          <label for="regions">{t('event.regions')}</label>
          <input id="regions" name="regions" type="text" value={values.regions} />
          {catalog.locales.map((locale) => (
            <>
              <label for={`message.${locale}`}>
                {t('event.message')} ({locale})
              </label>
              <textarea id={`message.${locale}`} name={`message.${locale}`} maxLength={1000}>
                {values.message[locale] ?? ''}
              </textarea>
            </>
          ))}
          <div class="actions">
            <button type="submit">{t('event.submit')}</button>
          </div>
        </form>
        <section class="card" aria-live="polite">
          <h2 style="margin-top:0">{t('event.preview')}</h2>
          <div id="preview">
            <p class="muted">{t('event.previewHint')}</p>
          </div>
        </section>
      </div>
    </Layout>
  );
}
