import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/app-config';
import type { Env } from '../config/config.schema';

/**
 * Credentials the local simulators accept by default. They only work against a simulator: a base URL given without
 * credentials uses them, so the start-up script and the simulators agree without passing secrets around.
 */
export const LOCAL_SIMULATOR = Object.freeze({
  projectId: 'aviso-local',
  accountSid: 'AC00000000000000000000000000000000',
  authToken: 'aviso-local-simulator-token',
  from: '+15005550006',
});

type ProviderName = 'push' | 'sms';

interface Transport {
  timeoutMs: number;
  maxConnections: number;
}

/** `endpoint`: an FCM-compatible server at `origin` (the simulator); `firebase`: Google with a service account. */
export type PushSettings = Transport &
  (
    | { kind: 'endpoint'; origin: URL; projectId: string }
    | { kind: 'firebase'; credentialsFile: string; credentialsType: string; projectId: string }
  );

/** Who a message comes from: a Messaging Service or one number. */
export type SmsOrigin = { messagingServiceSid: string } | { from: string };

/** `endpoint`: a Twilio-compatible server at `origin` (the simulator); `twilio`: api.twilio.com. */
export type SmsSettings = Transport & {
  kind: 'endpoint' | 'twilio';
  origin?: URL;
  accountSid: string;
  /** Secret: signs status callbacks too. Never log it. */
  authToken: string;
  sender: SmsOrigin;
};

/** Push settings, or null when neither FCM_BASE_URL nor GOOGLE_APPLICATION_CREDENTIALS is set (needs a simulator). */
export function resolvePushSettings(env: Env): PushSettings | null {
  const transport = { timeoutMs: env.PUSH_SEND_TIMEOUT_MS, maxConnections: env.PUSH_MAX_CONNECTIONS };
  if (env.FCM_BASE_URL) {
    const origin = new URL(env.FCM_BASE_URL);
    return {
      ...transport,
      kind: 'endpoint',
      origin,
      projectId: env.FIREBASE_PROJECT_ID ?? LOCAL_SIMULATOR.projectId,
    };
  }
  const file = env.GOOGLE_APPLICATION_CREDENTIALS;
  if (!file) return null;
  const credentials = readCredentialsFile(file);
  const projectId = env.FIREBASE_PROJECT_ID ?? credentials.project_id;
  if (!projectId) {
    throw new ConfigError(
      'FIREBASE_PROJECT_ID is required: GOOGLE_APPLICATION_CREDENTIALS names no project_id',
    );
  }
  return {
    ...transport,
    kind: 'firebase',
    credentialsFile: file,
    credentialsType: credentials.type,
    projectId,
  };
}

/** SMS settings, or null when neither TWILIO_BASE_URL nor Twilio credentials are set (needs a simulator). */
export function resolveSmsSettings(env: Env): SmsSettings | null {
  const transport = { timeoutMs: env.SMS_SEND_TIMEOUT_MS, maxConnections: env.SMS_MAX_CONNECTIONS };
  const sid = env.TWILIO_ACCOUNT_SID;
  const token = env.TWILIO_AUTH_TOKEN;
  if (sid && !token) throw new ConfigError('TWILIO_AUTH_TOKEN is required when TWILIO_ACCOUNT_SID is set');
  if (token && !sid) throw new ConfigError('TWILIO_ACCOUNT_SID is required when TWILIO_AUTH_TOKEN is set');
  if (sid && !sid.startsWith('AC')) throw new ConfigError('TWILIO_ACCOUNT_SID must start with "AC"');
  const sender = senderOf(env);
  if (env.TWILIO_BASE_URL) {
    return {
      ...transport,
      kind: 'endpoint',
      origin: new URL(env.TWILIO_BASE_URL),
      accountSid: sid ?? LOCAL_SIMULATOR.accountSid,
      authToken: token ?? LOCAL_SIMULATOR.authToken,
      sender: sender ?? { from: LOCAL_SIMULATOR.from },
    };
  }
  if (!sid || !token) return null;
  if (!sender) {
    throw new ConfigError('TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM is required with Twilio credentials');
  }
  return { ...transport, kind: 'twilio', accountSid: sid, authToken: token, sender };
}

/** Providers the local start-up must simulate (and then point FCM_BASE_URL / TWILIO_BASE_URL at). */
export function providersNeedingSimulator(env: Env): ProviderName[] {
  const needed: ProviderName[] = [];
  if (!resolvePushSettings(env)) needed.push('push');
  if (!resolveSmsSettings(env)) needed.push('sms');
  return needed;
}

/** A Messaging Service picks the sender itself and is what Twilio recommends at volume, so it wins over From. */
function senderOf(env: Env): SmsOrigin | null {
  if (env.TWILIO_MESSAGING_SERVICE_SID) return { messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID };
  if (env.TWILIO_FROM) return { from: env.TWILIO_FROM };
  return null;
}

function readCredentialsFile(file: string): { type: string; project_id?: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`GOOGLE_APPLICATION_CREDENTIALS ${file}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON.parse quotes the text around the error, which could be part of a private key.
    throw new ConfigError(`GOOGLE_APPLICATION_CREDENTIALS ${file}: not valid JSON`);
  }
  const record = (parsed ?? {}) as Record<string, unknown>;
  if (typeof record.type !== 'string') {
    throw new ConfigError(
      `GOOGLE_APPLICATION_CREDENTIALS ${file}: not a Google credentials file (no "type")`,
    );
  }
  const projectId = typeof record.project_id === 'string' ? record.project_id : undefined;
  return { type: record.type, project_id: projectId };
}
