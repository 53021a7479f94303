import type { IncomingMessage } from 'node:http';
import { FaultSettings, NO_FAULTS } from './faults';
import { HANG, ProviderSimulator, Reply, SimulatorOptions } from './simulator-server';

export interface FcmSettings extends FaultSettings {
  /** When not empty, a send to another project is refused with 403 PERMISSION_DENIED. */
  projectId: string;
  /** Answered 404 UNREGISTERED: the app was uninstalled. */
  unregisteredTokens: string[];
  /** Answered 400 INVALID_ARGUMENT: not a valid registration token. */
  invalidTokens: string[];
  /** Answered 403 SENDER_ID_MISMATCH: the token belongs to another sender. */
  mismatchedTokens: string[];
  /** Never answered, like a `hang` fault but for these devices only. */
  hangingTokens: string[];
}

interface FcmRecord {
  project: string;
  token: string | null;
  /** The FCM v1 message as received (notification, data, android, apns, ...). */
  message: unknown;
}

const DEFAULTS: FcmSettings = {
  ...NO_FAULTS,
  projectId: '',
  unregisteredTokens: [],
  invalidTokens: [],
  mismatchedTokens: [],
  hangingTokens: [],
};

const SEND_PATH = /^\/v1\/projects\/([^/]+)\/messages:send$/;
const FCM_ERROR_TYPE = 'type.googleapis.com/google.firebase.fcm.v1.FcmError';

/** FCM HTTP v1 `messages:send`, answering as Google does (success names, error bodies and their FcmError codes). */
export class FcmSimulator extends ProviderSimulator<FcmSettings, FcmRecord> {
  private unregistered = new Set<string>();
  private invalid = new Set<string>();
  private mismatched = new Set<string>();
  private hanging = new Set<string>();
  private sent = 0;
  private readonly idPrefix = Date.now().toString(16);

  constructor(options: SimulatorOptions<FcmSettings> = {}) {
    super(DEFAULTS, options);
    this.settingsChanged();
  }

  protected override settingsChanged(): void {
    this.unregistered = new Set(this.config.unregisteredTokens);
    this.invalid = new Set(this.config.invalidTokens);
    this.mismatched = new Set(this.config.mismatchedTokens);
    this.hanging = new Set(this.config.hangingTokens);
  }

  protected answer(req: IncomingMessage, body: string): Reply | typeof HANG {
    const route = req.method === 'POST' ? SEND_PATH.exec(req.url ?? '') : null;
    // Google answers unknown routes with an HTML page; firebase-admin turns that into messaging/unknown-error.
    if (!route)
      return { status: 404, contentType: 'text/html; charset=UTF-8', body: '<!DOCTYPE html>Not Found' };
    const project = route[1];
    const parsed = parseMessage(body);
    const record: FcmRecord = { project, token: parsed?.token ?? null, message: parsed?.message ?? null };
    const reply = this.verdict(req, project, parsed);
    if (reply === HANG) this.note(0, record);
    else this.note(reply.status, record);
    return reply;
  }

  private verdict(req: IncomingMessage, project: string, parsed: ParsedMessage | null): Reply | typeof HANG {
    if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) {
      return googleError(401, 'UNAUTHENTICATED', 'Request is missing required authentication credential.');
    }
    if (this.config.projectId && project !== this.config.projectId) {
      return googleError(
        403,
        'PERMISSION_DENIED',
        "Permission 'cloudmessaging.messages.create' denied on resource.",
      );
    }
    if (!parsed)
      return googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.', 'INVALID_ARGUMENT');
    const fault = this.fault();
    if (fault === 'hang') return HANG;
    if (fault === 'error') return this.serverError();
    if (fault === 'rate-limit') {
      const reply = googleError(
        429,
        'RESOURCE_EXHAUSTED',
        'Quota exceeded for sending messages.',
        'QUOTA_EXCEEDED',
      );
      return { ...reply, headers: { 'retry-after': this.config.retryAfterSeconds } };
    }
    const token = parsed.token;
    if (!token) {
      return googleError(
        400,
        'INVALID_ARGUMENT',
        'Request contains an invalid argument.',
        'INVALID_ARGUMENT',
      );
    }
    if (this.hanging.has(token)) return HANG;
    if (this.unregistered.has(token)) {
      return googleError(404, 'NOT_FOUND', 'Requested entity was not found.', 'UNREGISTERED');
    }
    if (this.invalid.has(token)) {
      const text = 'The registration token is not a valid FCM registration token';
      return googleError(400, 'INVALID_ARGUMENT', text, 'INVALID_ARGUMENT');
    }
    if (this.mismatched.has(token)) {
      return googleError(403, 'PERMISSION_DENIED', 'SenderId mismatch', 'SENDER_ID_MISMATCH');
    }
    this.sent += 1;
    return {
      status: 200,
      body: `{"name":"projects/${project}/messages/0:${this.idPrefix}%${this.sent.toString(16)}"}`,
    };
  }

  protected extraStats(): object {
    return {};
  }

  private serverError(): Reply {
    if (this.config.errorStatus === 500) {
      return googleError(500, 'INTERNAL', 'Internal error encountered.', 'INTERNAL');
    }
    return googleError(
      this.config.errorStatus,
      'UNAVAILABLE',
      'The service is currently unavailable.',
      'UNAVAILABLE',
    );
  }
}

interface ParsedMessage {
  token: string | undefined;
  message: unknown;
}

function parseMessage(body: string): ParsedMessage | null {
  try {
    const parsed = JSON.parse(body) as { message?: { token?: unknown } };
    if (typeof parsed?.message !== 'object' || parsed.message === null) return null;
    const token = typeof parsed.message.token === 'string' ? parsed.message.token : undefined;
    return { token, message: parsed.message };
  } catch {
    return null;
  }
}

function googleError(code: number, status: string, message: string, fcmErrorCode?: string): Reply {
  const details = fcmErrorCode ? [{ '@type': FCM_ERROR_TYPE, errorCode: fcmErrorCode }] : [];
  return { status: code, body: JSON.stringify({ error: { code, message, status, details } }) };
}
