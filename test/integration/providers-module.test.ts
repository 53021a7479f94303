import { ConsoleLogger, Logger, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getApps } from 'firebase-admin/app';
import { ConfigModule } from '../../src/config/config.module';
import { ProvidersModule } from '../../src/providers/providers.module';
import { PushSender } from '../../src/providers/push/push-sender';
import { SmsSender } from '../../src/providers/sms/sms-sender';
import { testConfig } from '../support/test-config';
import { ProviderSimulators, startProviderSimulators } from '../../src/simulators';

/** Collects what the providers log, at every level. */
class CapturedLog implements LoggerService {
  readonly lines: string[] = [];
  log = (message: unknown) => void this.lines.push(String(message));
  error = this.log;
  warn = this.log;
  debug = this.log;
  verbose = this.log;
}

describe(ProvidersModule.name, () => {
  let sims: ProviderSimulators;

  beforeAll(async () => {
    sims = await startProviderSimulators();
  });
  afterAll(() => sims.close());

  const compile = (vars: Record<string, string>) =>
    Test.createTestingModule({
      imports: [ConfigModule.forRoot(testConfig(vars)), ProvidersModule],
    }).compile();

  it('builds both senders from the configuration and closes the SDKs on shutdown', async () => {
    const module = await compile({ FCM_BASE_URL: sims.fcmUrl, TWILIO_BASE_URL: sims.twilioUrl });
    const push = module.get(PushSender);
    const sms = module.get(SmsSender);
    const appsBefore = getApps().length;

    expect(
      await push.sendBatch([{ token: 'd', title: 'T', body: 'B', collapseKey: 'k', data: {} }]),
    ).toMatchObject([{ ok: true }]);
    expect(await sms.send({ to: '+573001234567', body: 'Hola' })).toMatchObject({ ok: true });
    expect(sims.fcm.received().records[0].project).toBe('aviso-local');
    await module.close();

    expect(getApps()).toHaveLength(appsBefore - 1);
  });

  it('refuses to start without a simulator URL or credentials, naming the variables', async () => {
    await expect(compile({ TWILIO_BASE_URL: sims.twilioUrl })).rejects.toThrow(
      /FCM_BASE_URL .* or GOOGLE_APPLICATION_CREDENTIALS/,
    );
    await expect(compile({ FCM_BASE_URL: sims.fcmUrl })).rejects.toThrow(
      /TWILIO_BASE_URL .* TWILIO_AUTH_TOKEN/,
    );
  });

  it('logs failed recipients masked, never the raw token or phone number', async () => {
    const module = await compile({ FCM_BASE_URL: sims.fcmUrl, TWILIO_BASE_URL: sims.twilioUrl });
    const captured = new CapturedLog();
    Logger.overrideLogger(captured); // after compile(), which installs the testing logger
    const token = 'fcm-token-abcdefghijklmnopqrstuvwxyz';
    const phone = '+573009876543';
    sims.fcm.configure({ unregisteredTokens: [token] });
    sims.twilio.configure({ unsubscribedNumbers: [phone] });
    try {
      await module.get(PushSender).sendBatch([{ token, title: 'T', body: 'B', collapseKey: 'k', data: {} }]);
      await module.get(SmsSender).send({ to: phone, body: 'Hola' });
    } finally {
      await module.close();
      Logger.overrideLogger(new ConsoleLogger());
      sims.fcm.reset();
      sims.twilio.reset();
    }

    const text = captured.lines.join('\n');
    expect(text).toContain('fcm-to…(36)');
    expect(text).toContain('+57******6543');
    expect(text).not.toContain(token);
    expect(text).not.toContain(phone);
  });
});
