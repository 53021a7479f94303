/** Where Twilio posts an SMS's status reports: the URL every send names, and the path the API listens on. */
export const STATUS_CALLBACK_PATH = '/v1/providers/twilio/status';

export function statusCallbackUrl(publicBaseUrl: string): string {
  return new URL(STATUS_CALLBACK_PATH, publicBaseUrl).toString();
}

/** Where Twilio posts the SMS customers send to the bank's number (set it as the number's messaging webhook). */
export const INBOUND_MESSAGE_PATH = '/v1/providers/twilio/inbound';
