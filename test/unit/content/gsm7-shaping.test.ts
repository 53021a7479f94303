import { shapeToGsm7 } from '../../../src/content/gsm7-shaping';
import { countSegments } from '../../../src/providers/sms/sms-segments';

describe(shapeToGsm7.name, () => {
  it('drops the accents GSM-7 lacks and keeps the ones it has', () => {
    expect(shapeToGsm7('Tu dinero está seguro. Línea de atención: sí, aquí. ÁÍÓÚ')).toBe(
      'Tu dinero esta seguro. Linea de atencion: si, aqui. AIOU',
    );
    expect(shapeToGsm7('¿Señal? ¡Pingüino! é É à ü Ü ñ Ñ Ç')).toBe('¿Señal? ¡Pingüino! é É à ü Ü ñ Ñ Ç');
    expect(shapeToGsm7('ç ê')).toBe('c e');
  });

  it('replaces punctuation and spacing look-alikes as Smart Encoding does', () => {
    expect(shapeToGsm7('«Hola» “sí” ‘no’ – — … a\u00a0b c\u202fd e\u200bf')).toBe(
      '"Hola" "si" \'no\' - - ... a b c d ef',
    );
  });

  it('keeps what has no GSM-7 form, so the message is honestly UCS-2', () => {
    const shaped = shapeToGsm7('Caída 😀');
    expect(shaped).toBe('Caida 😀');
    expect(countSegments(shaped).encoding).toBe('UCS-2');
  });

  it('turns a normal accented Spanish sentence into one GSM-7 segment', () => {
    const text =
      'Falla en Transferencias interbancarias: Estamos trabajando para restablecer el servicio. Tu dinero está seguro.';
    expect(countSegments(text)).toMatchObject({ encoding: 'UCS-2', segments: 2 });
    expect(countSegments(shapeToGsm7(text))).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });
});
