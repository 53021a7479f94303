import { NoticeTextCache, renderNotice } from '../../../src/dispatch/notice-text';
import { shippedCatalog } from '../../support/channel-catalog';

const catalog = shippedCatalog();
const content = {
  message: { 'es-CO': 'La app presenta fallas.', en: 'The app is failing.' },
  advice: { 'es-CO': 'Tu dinero está seguro.' },
};

describe('renderNotice', () => {
  it("uses the customer's locale and falls back to es-CO text by text", () => {
    const en = renderNotice(content, 'opened', 'en', catalog);
    expect(en.title).toBe('Service disruption');
    expect(en.body).toBe('The app is failing. Tu dinero está seguro.');
  });

  it('puts the title first in the SMS, which has no title field', () => {
    const es = renderNotice(
      { ...content, title: { 'es-CO': 'Fallas en la app' } },
      'updated',
      'es-CO',
      catalog,
    );
    expect(es.sms).toBe('Fallas en la app: La app presenta fallas. Tu dinero está seguro.');
  });

  it('uses the catalog title of the event type when the event gave none', () => {
    expect(renderNotice(content, 'resolved', 'es-CO', catalog).title).toBe('Servicios restablecidos');
  });

  it('renders each locale once', () => {
    const sut = new NoticeTextCache(content, 'opened', catalog);
    expect(sut.for('en')).toBe(sut.for('en'));
    expect(sut.for('en')).not.toBe(sut.for('es-CO'));
  });
});
