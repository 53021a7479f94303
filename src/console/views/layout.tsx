import type { ComponentChildren } from 'preact';
import type { Person } from '../../people/person';
import type { Translate } from '../i18n';

export interface PageContext {
  t: Translate;
  person: Person | null;
  csrf: string | null;
  /** Notices waiting for approval, for the navigation badge. */
  waiting?: number;
}

export function Layout({
  ctx,
  title,
  children,
}: {
  ctx: PageContext;
  title: string;
  children: ComponentChildren;
}) {
  const { t, person, csrf } = ctx;
  const other = t.lang === 'en' ? 'es-CO' : 'en';
  return (
    <html lang={t.lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {csrf ? <meta name="csrf-token" content={csrf} /> : null}
        <title>{`${title} · ${t('app.title')}`}</title>
        {/* Error answers carry a message to show: htmx swaps them in like any other. */}
        <meta
          name="htmx-config"
          content={JSON.stringify({
            responseHandling: [
              { code: '204', swap: false },
              { code: '...', swap: true },
            ],
          })}
        />
        <link rel="stylesheet" href="/console/assets/console.css" />
        <script src="/console/assets/htmx.min.js" defer />
        <script src="/console/assets/htmx-sse.js" defer />
      </head>
      <body hx-headers={csrf ? JSON.stringify({ 'X-CSRF-Token': csrf }) : undefined}>
        <header>
          <a class="brand" href="/console/incidents">
            Aviso
          </a>
          {person && !person.mustChangePassword ? (
            <>
              <a href="/console/incidents">{t('nav.incidents')}</a>
              {person.scopes.includes('events:write') ? (
                <a href="/console/events/new">{t('nav.newEvent')}</a>
              ) : null}
              <a href="/console/approvals">
                {t('nav.approvals')} {ctx.waiting ? <span class="badge">{ctx.waiting}</span> : null}
              </a>
            </>
          ) : null}
          <span class="spacer" />
          <a href={`/console/language?lang=${other}`}>{t('nav.language')}</a>
          {person ? (
            <>
              <span class="who">
                {person.email} · {person.role}
              </span>
              <form method="post" action="/console/sign-out" style="margin:0">
                <input type="hidden" name="_csrf" value={csrf ?? ''} />
                <button class="link" type="submit">
                  {t('nav.signOut')}
                </button>
              </form>
            </>
          ) : null}
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}

export function ErrorBanner({
  ctx,
  message,
  errors,
}: {
  ctx: PageContext;
  message: string;
  errors?: { field: string; reason: string }[];
}) {
  return (
    <div class="alert error" role="alert">
      <strong>{ctx.t('error.title')}:</strong> {message}
      {errors?.length ? (
        <ul>
          {errors.map((e) => (
            <li>
              <code>{e.field}</code> {e.reason}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
