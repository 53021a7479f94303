import { Layout, PageContext } from './layout';

export function SignInPage({ ctx, email, error }: { ctx: PageContext; email?: string; error?: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('signIn.title')}>
      <form class="card signin" method="post" action="/console/sign-in">
        <h1>{t('signIn.title')}</h1>
        {error ? (
          <div class="alert error" role="alert">
            {error}
          </div>
        ) : null}
        <label for="email">{t('signIn.email')}</label>
        <input id="email" name="email" type="email" autocomplete="username" required value={email ?? ''} />
        <label for="password">{t('signIn.password')}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <div class="actions">
          <button type="submit">{t('signIn.submit')}</button>
        </div>
      </form>
    </Layout>
  );
}

export function PasswordPage({ ctx, error }: { ctx: PageContext; error?: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('password.title')}>
      <form class="card signin" method="post" action="/console/password">
        <h1>{t('password.title')}</h1>
        <p class="muted">{t('password.why')}</p>
        {error ? (
          <div class="alert error" role="alert">
            {error}
          </div>
        ) : null}
        <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
        <label for="password">{t('password.new')}</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="new-password"
          minLength={12}
          required
        />
        <label for="confirmation">{t('password.confirm')}</label>
        <input
          id="confirmation"
          name="confirmation"
          type="password"
          autocomplete="new-password"
          minLength={12}
          required
        />
        <div class="actions">
          <button type="submit">{t('password.submit')}</button>
        </div>
      </form>
    </Layout>
  );
}
