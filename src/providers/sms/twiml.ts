import twilio from 'twilio';

/** TwiML that tells Twilio to send nothing back: consent keywords are acted on, never answered by Aviso. */
export function emptyTwiml(): string {
  return new twilio.twiml.MessagingResponse().toString();
}
