import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { People } from '../people/people.service';
import { ConsolePages } from './console-pages.decorator';
import { ConsoleRequest, SESSION_COOKIE, SignedOut, WithOneTimePassword } from './console-request';
import { LANG_COOKIE, LANGS, langOf, translator } from './i18n';
import { PageContexts } from './page-context';
import { renderPage } from './render';
import { SignIn } from './sign-in';
import { PasswordPage, SignInPage } from './views/sign-in';

@ConsolePages()
@Controller('console')
export class SignInController {
  constructor(
    private readonly signIn: SignIn,
    private readonly people: People,
    private readonly pages: PageContexts,
  ) {}

  @Get()
  home(@Res() res: Response): void {
    res.redirect(303, '/console/incidents');
  }

  @Get('sign-in')
  @SignedOut()
  form(@Req() req: ConsoleRequest): string {
    return renderPage(<SignInPage ctx={this.pages.light(req)} />);
  }

  @Post('sign-in')
  @SignedOut()
  async submit(
    @Req() req: ConsoleRequest,
    @Res() res: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const email = typeof body.email === 'string' ? body.email : '';
    const password = typeof body.password === 'string' ? body.password : '';
    try {
      const { person, session } = await this.signIn.signIn(email, password, req.ip ?? 'unknown');
      res.cookie(SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: req.secure,
        path: '/console',
        expires: session.expiresAt,
      });
      res.redirect(303, person.mustChangePassword ? '/console/password' : '/console/incidents');
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const t = translator(langOf(req));
      const locked = err.code === ErrorCode.TooManyRequests;
      res
        .status(locked ? 429 : 401)
        .type('html')
        .send(
          renderPage(
            <SignInPage
              ctx={this.pages.light(req)}
              email={email}
              error={locked ? err.message : t('signIn.failed')}
            />,
          ),
        );
    }
  }

  @Post('sign-out')
  @WithOneTimePassword()
  async signOut(@Req() req: ConsoleRequest, @Res() res: Response): Promise<void> {
    if (req.sessionToken && req.person) await this.signIn.signOut(req.sessionToken, req.person);
    res.clearCookie(SESSION_COOKIE, { path: '/console' });
    res.redirect(303, '/console/sign-in');
  }

  @Get('password')
  @WithOneTimePassword()
  passwordForm(@Req() req: ConsoleRequest): string {
    return renderPage(<PasswordPage ctx={this.pages.light(req)} />);
  }

  @Post('password')
  @WithOneTimePassword()
  async changePassword(
    @Req() req: ConsoleRequest,
    @Res() res: Response,
    @Body() body: Record<string, unknown>,
  ): Promise<void> {
    const person = req.person;
    if (!person) throw new Error('ConsoleGuard lets no one through without a person');
    try {
      await this.people.changePassword(person, String(body.password ?? ''), String(body.confirmation ?? ''));
      res.redirect(303, '/console/incidents');
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const message = err.errors.map((e) => `${e.field}: ${e.reason}`).join('; ') || err.message;
      res
        .status(400)
        .type('html')
        .send(renderPage(<PasswordPage ctx={this.pages.light(req)} error={message} />));
    }
  }

  @Get('language')
  @SignedOut()
  language(@Query('lang') lang: string, @Req() req: ConsoleRequest, @Res() res: Response): void {
    if ((LANGS as readonly string[]).includes(lang)) {
      res.cookie(LANG_COOKIE, lang, { sameSite: 'strict', path: '/console', maxAge: 365 * 24 * 3600 * 1000 });
    }
    // Back to the page the person was on, if it was a console page.
    const back = req.get('referer');
    const url = back ? new URL(back, 'http://local') : null;
    const path = url ? url.pathname + url.search : '';
    res.redirect(303, path.startsWith('/console/') ? path : '/console/incidents');
  }
}
