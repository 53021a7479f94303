import { fitSms, SmsParts } from '../../../src/content/sms-fitting';

const parts = (over: Partial<SmsParts> = {}): SmsParts => ({
  title: 'Falla en Pagos con QR',
  message: 'Estamos trabajando para restablecer el servicio lo antes posible.',
  advice: 'Puedes pagar con tarjeta mientras tanto.',
  assurances: ['Tu dinero está seguro.', 'No es un ataque informático.'],
  nextUpdate: 'Próxima actualización: 3 de dic, 10:00 a. m.',
  antiPhishing: 'Nunca te pediremos claves ni códigos.',
  statusLink: 'Más información: https://estado.banco.test',
  ...over,
});

describe(fitSms.name, () => {
  it('keeps everything when it fits, shaped to GSM-7', () => {
    const fitted = fitSms(parts(), 3);
    expect(fitted.dropped).toEqual([]);
    expect(fitted.text).toBe(
      'Falla en Pagos con QR: Estamos trabajando para restablecer el servicio lo antes posible. Puedes pagar con ' +
        'tarjeta mientras tanto. Tu dinero esta seguro. No es un ataque informatico. Proxima actualizacion: 3 de ' +
        'dic, 10:00 a. m. Nunca te pediremos claves ni codigos. Mas informacion: https://estado.banco.test',
    );
    expect(fitted.count).toMatchObject({ encoding: 'GSM-7', characters: 307, segments: 3 });
  });

  it('drops the advice, then assurances last first, then the next update, until it fits', () => {
    const short = fitSms(parts({ message: 'Trabajamos en ello.', statusLink: undefined }), 1);
    expect(short.dropped).toEqual(['advice', 'assurance 2']);
    expect(short.text).toBe(
      'Falla en Pagos con QR: Trabajamos en ello. Tu dinero esta seguro. Proxima actualizacion: 3 de dic, ' +
        '10:00 a. m. Nunca te pediremos claves ni codigos.',
    );
    const linked = fitSms(parts({ message: 'Trabajamos en ello.' }), 1);
    expect(linked.dropped).toEqual(['advice', 'assurance 2', 'assurance 1', 'next update']);
    expect(linked.text).toBe(
      'Falla en Pagos con QR: Trabajamos en ello. Nunca te pediremos claves ni codigos. Mas informacion: ' +
        'https://estado.banco.test',
    );
  });

  it('cuts the message at a word and keeps the anti-phishing line and the status link', () => {
    const long =
      'La plataforma de pagos presenta intermitencias en todas las regiones del país desde las 8 de la mañana.';
    const fitted = fitSms(parts({ message: long }), 1);
    expect(fitted.dropped).toEqual(['advice', 'assurance 2', 'assurance 1', 'next update', 'message cut']);
    expect(fitted.text).toMatch(
      /^Falla en Pagos con QR: La plataforma de pagos .*\.\.\. Nunca te pediremos claves ni codigos\. Mas informacion: https:\/\/estado\.banco\.test$/,
    );
    expect(fitted.count).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(fitted.count.characters).toBeLessThanOrEqual(160);
  });

  it('with a larger limit keeps more', () => {
    const long = 'La plataforma de pagos presenta intermitencias. '.repeat(6);
    expect(fitSms(parts({ message: long }), 1).count.segments).toBe(1);
    const two = fitSms(parts({ message: long }), 2);
    expect(two.count.segments).toBe(2);
    expect(two.dropped).toContain('message cut');
  });

  it('as a last resort drops the anti-phishing line, then cuts the whole text', () => {
    const fitted = fitSms(
      parts({ statusLink: `Más información: https://estado.banco.test/${'x'.repeat(120)}` }),
      1,
    );
    expect(fitted.dropped.slice(-2)).toEqual(['anti-phishing line', 'text cut']);
    expect(fitted.count.segments).toBe(1);
  });
});
