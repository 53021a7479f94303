import { FcmSettings, FcmSimulator } from './fcm-simulator';
import { SimulatorOptions } from './simulator-server';
import { TwilioSimulator, TwilioSimulatorOptions } from './twilio-simulator';

export { FcmSimulator } from './fcm-simulator';
export { TwilioSimulator } from './twilio-simulator';
export { twilioSignature } from './status-callbacks';

interface ProviderSimulatorsOptions {
  /** 0 (the default) picks a free port. */
  fcmPort?: number;
  twilioPort?: number;
  host?: string;
  fcm?: SimulatorOptions<FcmSettings>;
  twilio?: TwilioSimulatorOptions;
}

export interface ProviderSimulators {
  fcm: FcmSimulator;
  twilio: TwilioSimulator;
  fcmUrl: string;
  twilioUrl: string;
  close(): Promise<void>;
}

/** Both simulators listening; point FCM_BASE_URL and TWILIO_BASE_URL at the URLs. */
export async function startProviderSimulators(
  options: ProviderSimulatorsOptions = {},
): Promise<ProviderSimulators> {
  const host = options.host ?? '127.0.0.1';
  const fcm = new FcmSimulator(options.fcm);
  const twilio = new TwilioSimulator(options.twilio);
  try {
    const [fcmUrl, twilioUrl] = await Promise.all([
      fcm.listen(options.fcmPort ?? 0, host),
      twilio.listen(options.twilioPort ?? 0, host),
    ]);
    return {
      fcm,
      twilio,
      fcmUrl,
      twilioUrl,
      close: async () => void (await Promise.all([fcm.close(), twilio.close()])),
    };
  } catch (err) {
    await Promise.all([fcm.close(), twilio.close()]);
    throw err;
  }
}
