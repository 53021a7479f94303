import type TestAgent from 'supertest/lib/agent';
import request from 'supertest';
import type { INestApplication } from '@nestjs/common';
import { People } from '../../src/people/people.service';

/** A signed-in browser: keeps the session cookie and reads the CSRF token the console puts in each page. */
export interface ConsoleBrowser {
  agent: TestAgent;
  csrf: string;
  email: string;
}

/** Creates a person with this role, signs them in with the one-time password and sets their own. */
export async function signedInPerson(
  app: INestApplication,
  email: string,
  role: 'author' | 'approver' | 'viewer',
): Promise<ConsoleBrowser> {
  const { oneTimePassword } = await app.get(People).create(email, role, 'test');
  const agent = request.agent(app.getHttpServer());
  await agent.post('/console/sign-in').type('form').send({ email, password: oneTimePassword }).expect(303);
  const page = await agent.get('/console/password').expect(200);
  const csrf = csrfIn(page.text);
  const password = `${email}-own-password`;
  await agent
    .post('/console/password')
    .type('form')
    .send({ _csrf: csrf, password, confirmation: password })
    .expect(303);
  return { agent, csrf, email };
}

export function csrfIn(html: string): string {
  const match = /<meta name="csrf-token" content="([^"]+)"/.exec(html);
  if (!match) throw new Error('The page carries no CSRF token');
  return match[1];
}
