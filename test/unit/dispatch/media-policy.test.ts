import { chooseMedia, mediaPolicy, Reachability } from '../../../src/dispatch/media-policy';

const reach = (over: Partial<Reachability> = {}): Reachability => ({
  phone: '+573001234567',
  consentPush: true,
  consentSms: true,
  hasDevice: true,
  ...over,
});

describe('media policy', () => {
  it('sends major and minor notices by the first reachable medium, push before SMS', () => {
    const policy = mediaPolicy('major', null);
    expect(policy).toEqual({ media: ['push', 'sms'], every: false });
    expect(chooseMedia(reach(), policy)).toEqual(['push']);
    expect(chooseMedia(reach({ hasDevice: false }), mediaPolicy('minor', undefined))).toEqual(['sms']);
    expect(chooseMedia(reach({ consentPush: false }), policy)).toEqual(['sms']);
    expect(chooseMedia(reach({ consentSms: false, hasDevice: false }), policy)).toEqual([]);
  });

  it('sends critical notices by every medium the customer can be reached on', () => {
    const policy = mediaPolicy('critical', null);
    expect(chooseMedia(reach(), policy)).toEqual(['push', 'sms']);
    expect(chooseMedia(reach({ phone: null }), policy)).toEqual(['push']);
    expect(chooseMedia(reach({ consentPush: false }), policy)).toEqual(['sms']);
  });

  it("narrows either to the event's own media list, in its order", () => {
    expect(chooseMedia(reach(), mediaPolicy('critical', ['sms']))).toEqual(['sms']);
    expect(chooseMedia(reach(), mediaPolicy('minor', ['sms', 'push']))).toEqual(['sms']);
    expect(chooseMedia(reach({ hasDevice: false }), mediaPolicy('major', ['push']))).toEqual([]);
  });
});
