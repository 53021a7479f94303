import { App, applicationDefault, cert, Credential, deleteApp, initializeApp } from 'firebase-admin/app';
import { getMessaging, Messaging } from 'firebase-admin/messaging';
import type { PushSettings } from '../provider-settings';
import { FcmAgent } from './fcm-agent';

/** The process's firebase-admin App, its Messaging and the agent all its HTTP/1.1 traffic goes through. */
export interface FirebaseMessaging {
  readonly messaging: Messaging;
  readonly agent: FcmAgent;
  close(): Promise<void>;
}

/** A simulator accepts any bearer token, so fetching one from Google would only add a network call. */
const simulatorCredential: Credential = {
  getAccessToken: async () => ({ access_token: 'aviso-simulator', expires_in: 3600 }),
};

let opened = 0;

/**
 * With an endpoint (the simulator) every request goes through the agent over HTTP/1.1, since sendEach's own HTTP/2
 * session would ignore the agent. With real Firebase, sendEach keeps HTTP/2 and the agent carries token fetches.
 */
export function openFirebaseMessaging(settings: PushSettings): FirebaseMessaging {
  const endpoint = settings.kind === 'endpoint';
  const agent = new FcmAgent(settings.maxConnections, endpoint ? settings.origin : undefined);
  const app: App = initializeApp(
    { projectId: settings.projectId, credential: credentialFor(settings, agent), httpAgent: agent },
    // Apps are named per instance so tests (and a restarted module) never meet a deleted or duplicate App.
    `aviso-push-${process.pid}-${++opened}`,
  );
  const messaging = getMessaging(app);
  if (endpoint) messaging.enableLegacyHttpTransport();
  return {
    messaging,
    agent,
    close: async () => {
      await deleteApp(app);
      agent.destroy();
    },
  };
}

function credentialFor(settings: PushSettings, agent: FcmAgent): Credential {
  if (settings.kind === 'endpoint') return simulatorCredential;
  // cert() honours the agent only when given a path; other credential files (workload identity, user) go to ADC,
  // which reads the same GOOGLE_APPLICATION_CREDENTIALS from the process environment.
  return settings.credentialsType === 'service_account'
    ? cert(settings.credentialsFile, agent)
    : applicationDefault(agent);
}
