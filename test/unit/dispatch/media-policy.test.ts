import { chooseMedium, mediaPreference, Reachability } from '../../../src/dispatch/media-policy';

const reach = (over: Partial<Reachability> = {}): Reachability => ({
  phone: '+573001234567',
  consentPush: true,
  consentSms: true,
  hasDevice: true,
  ...over,
});

describe('media policy', () => {
  it('prefers push with SMS as fallback for major and minor incidents', () => {
    expect(mediaPreference('major', null)).toEqual(['push', 'sms']);
    expect(mediaPreference('minor', undefined)).toEqual(['push', 'sms']);
  });

  it('prefers SMS for critical incidents, since the failing channel may be the app itself', () => {
    expect(mediaPreference('critical', null)).toEqual(['sms', 'push']);
  });

  it("takes the event's own media list, in its order", () => {
    expect(mediaPreference('critical', ['push'])).toEqual(['push']);
    expect(mediaPreference('minor', ['sms', 'push'])).toEqual(['sms', 'push']);
  });

  it('picks the first medium the customer consented to and can be reached on', () => {
    expect(chooseMedium(reach(), ['push', 'sms'])).toBe('push');
    expect(chooseMedium(reach({ hasDevice: false }), ['push', 'sms'])).toBe('sms');
    expect(chooseMedium(reach({ consentPush: false }), ['push', 'sms'])).toBe('sms');
    expect(chooseMedium(reach({ phone: null }), ['sms', 'push'])).toBe('push');
    expect(chooseMedium(reach({ hasDevice: false }), ['push'])).toBeNull();
    expect(chooseMedium(reach({ consentSms: false, hasDevice: false }), ['push', 'sms'])).toBeNull();
  });
});
