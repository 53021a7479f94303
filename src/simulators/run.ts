import { parseArgs } from 'node:util';
import { startProviderSimulators } from './index';

/**
 * Runs both provider simulators until SIGTERM or SIGINT, for the local default run and the benchmark:
 *   node dist/src/simulators/run.js [--fcm-port N] [--twilio-port N] [--host H] [--callback-origin URL]
 *     [--record-cap N]
 * Each flag falls back to SIM_FCM_PORT, SIM_TWILIO_PORT, SIM_HOST, SIM_CALLBACK_ORIGIN, SIM_RECORD_CAP; the Twilio
 * simulator accepts TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN (else the local defaults). Prints one JSON line with the
 * URLs once listening.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'fcm-port': { type: 'string' },
      'twilio-port': { type: 'string' },
      host: { type: 'string' },
      'callback-origin': { type: 'string' },
      'record-cap': { type: 'string' },
    },
  });
  const env = process.env;
  const recordCap = numberOf(values['record-cap'] ?? env.SIM_RECORD_CAP);
  const sims = await startProviderSimulators({
    fcmPort: numberOf(values['fcm-port'] ?? env.SIM_FCM_PORT),
    twilioPort: numberOf(values['twilio-port'] ?? env.SIM_TWILIO_PORT),
    host: values.host ?? env.SIM_HOST ?? '127.0.0.1',
    fcm: { recordCap },
    twilio: {
      recordCap,
      accountSid: env.TWILIO_ACCOUNT_SID || undefined,
      authToken: env.TWILIO_AUTH_TOKEN || undefined,
      callbackOrigin: values['callback-origin'] ?? (env.SIM_CALLBACK_ORIGIN || undefined),
    },
  });
  process.stdout.write(
    `${JSON.stringify({ event: 'listening', fcmUrl: sims.fcmUrl, twilioUrl: sims.twilioUrl })}\n`,
  );
  const stop = () => {
    sims.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

function numberOf(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`not a port or count: ${value}`);
  return n;
}

main().catch((err: unknown) => {
  process.stderr.write(`provider simulators failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
