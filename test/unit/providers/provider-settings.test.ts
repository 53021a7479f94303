import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../src/config/app-config';
import { envSchema } from '../../../src/config/config.schema';
import {
  LOCAL_SIMULATOR,
  providersNeedingSimulator,
  resolvePushSettings,
  resolveSmsSettings,
} from '../../../src/providers/provider-settings';

const env = (vars: Record<string, string> = {}) => envSchema.parse(vars);

describe('provider settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aviso-creds-'));
  const serviceAccount = join(dir, 'service-account.json');
  writeFileSync(serviceAccount, JSON.stringify({ type: 'service_account', project_id: 'bank-prod' }));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('needs both simulators when nothing is configured', () => {
    expect(resolvePushSettings(env())).toBeNull();
    expect(resolveSmsSettings(env())).toBeNull();
    expect(providersNeedingSimulator(env())).toEqual(['push', 'sms']);
  });

  it('does not count a project id or a sender alone as credentials', () => {
    expect(providersNeedingSimulator(env({ FIREBASE_PROJECT_ID: 'p', TWILIO_FROM: '+15551234567' }))).toEqual(
      ['push', 'sms'],
    );
  });

  describe('push', () => {
    it('routes to FCM_BASE_URL with the local project unless one is named', () => {
      const settings = resolvePushSettings(
        env({ FCM_BASE_URL: 'http://127.0.0.1:4010', PUSH_SEND_TIMEOUT_MS: '2500' }),
      );
      expect(settings).toMatchObject({
        kind: 'endpoint',
        projectId: LOCAL_SIMULATOR.projectId,
        timeoutMs: 2500,
      });
      expect(settings?.kind === 'endpoint' && settings.origin.href).toBe('http://127.0.0.1:4010/');
    });

    it('prefers FCM_BASE_URL over real credentials', () => {
      const vars = { FCM_BASE_URL: 'http://127.0.0.1:4010', GOOGLE_APPLICATION_CREDENTIALS: serviceAccount };
      expect(resolvePushSettings(env(vars))?.kind).toBe('endpoint');
    });

    it('uses a service account and its project unless FIREBASE_PROJECT_ID overrides it', () => {
      const vars = { GOOGLE_APPLICATION_CREDENTIALS: serviceAccount };
      expect(resolvePushSettings(env(vars))).toMatchObject({ kind: 'firebase', projectId: 'bank-prod' });
      expect(resolvePushSettings(env({ ...vars, FIREBASE_PROJECT_ID: 'other' }))?.projectId).toBe('other');
    });

    it('names GOOGLE_APPLICATION_CREDENTIALS when the file is missing or not a credentials file', () => {
      const missing = env({ GOOGLE_APPLICATION_CREDENTIALS: join(dir, 'absent.json') });
      expect(() => resolvePushSettings(missing)).toThrow(/GOOGLE_APPLICATION_CREDENTIALS .*absent\.json/);
      const noType = join(dir, 'no-type.json');
      writeFileSync(noType, '{}');
      expect(() => resolvePushSettings(env({ GOOGLE_APPLICATION_CREDENTIALS: noType }))).toThrow(ConfigError);
    });

    it('does not quote a malformed credentials file in the error', () => {
      const broken = join(dir, 'broken.json');
      writeFileSync(broken, '{"private_key": "-----BEGIN PRIVATE KEY-----SECRETSECRET');
      expect(() => resolvePushSettings(env({ GOOGLE_APPLICATION_CREDENTIALS: broken }))).toThrow(
        expect.objectContaining({ message: expect.not.stringContaining('SECRET') }),
      );
    });

    it('asks for FIREBASE_PROJECT_ID when the credentials name no project', () => {
      const noProject = join(dir, 'no-project.json');
      writeFileSync(noProject, JSON.stringify({ type: 'external_account' }));
      expect(() => resolvePushSettings(env({ GOOGLE_APPLICATION_CREDENTIALS: noProject }))).toThrow(
        /FIREBASE_PROJECT_ID is required/,
      );
    });
  });

  describe('sms', () => {
    const sid = `AC${'1'.repeat(32)}`;

    it('routes to TWILIO_BASE_URL with the local simulator credentials and sender by default', () => {
      expect(resolveSmsSettings(env({ TWILIO_BASE_URL: 'http://127.0.0.1:4020' }))).toMatchObject({
        kind: 'endpoint',
        accountSid: LOCAL_SIMULATOR.accountSid,
        authToken: LOCAL_SIMULATOR.authToken,
        sender: { from: LOCAL_SIMULATOR.from },
      });
    });

    it('uses real Twilio with SID, token and a Messaging Service, which wins over From', () => {
      const vars = { TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+15551234567' };
      expect(resolveSmsSettings(env(vars))).toMatchObject({
        kind: 'twilio',
        sender: { from: '+15551234567' },
      });
      const withService = resolveSmsSettings(env({ ...vars, TWILIO_MESSAGING_SERVICE_SID: 'MG1' }));
      expect(withService?.sender).toEqual({ messagingServiceSid: 'MG1' });
    });

    it.each([
      [{ TWILIO_ACCOUNT_SID: sid }, /TWILIO_AUTH_TOKEN is required/],
      [{ TWILIO_AUTH_TOKEN: 't' }, /TWILIO_ACCOUNT_SID is required/],
      [{ TWILIO_ACCOUNT_SID: 'SK123', TWILIO_AUTH_TOKEN: 't' }, /TWILIO_ACCOUNT_SID must start with "AC"/],
      [{ TWILIO_ACCOUNT_SID: sid, TWILIO_AUTH_TOKEN: 't' }, /TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM/],
      [{ TWILIO_BASE_URL: 'http://127.0.0.1:1', TWILIO_ACCOUNT_SID: sid }, /TWILIO_AUTH_TOKEN is required/],
    ])('refuses incomplete credentials %j', (vars, message) => {
      expect(() => resolveSmsSettings(env(vars))).toThrow(message);
    });

    it('never puts the auth token in an error', () => {
      expect(() => resolveSmsSettings(env({ TWILIO_AUTH_TOKEN: 'super-secret-token' }))).toThrow(
        expect.objectContaining({ message: expect.not.stringContaining('super-secret-token') }),
      );
    });
  });
});
