import { countSegments } from '../../../src/providers/sms/sms-segments';

describe(countSegments.name, () => {
  describe('GSM-7', () => {
    it.each([
      ['', 0, 0],
      ['Hello', 5, 1],
      ['a'.repeat(160), 160, 1],
      ['a'.repeat(161), 161, 2],
      ['a'.repeat(306), 306, 2],
      ['a'.repeat(307), 307, 3],
      ['a'.repeat(459), 459, 3],
      ['a'.repeat(460), 460, 4],
    ])('counts %j as %i characters in %i segment(s)', (text, characters, segments) => {
      expect(countSegments(text)).toEqual({ encoding: 'GSM-7', characters, segments });
    });

    it('counts each extension character ^{}\\[]~|€ and form feed as two', () => {
      expect(countSegments('^{}\\[]~|€\f')).toEqual({ encoding: 'GSM-7', characters: 20, segments: 1 });
      expect(countSegments('{'.repeat(80))).toMatchObject({ characters: 160, segments: 1 });
      expect(countSegments(`${'a'.repeat(159)}€`)).toMatchObject({ characters: 161, segments: 2 });
    });

    it('never splits an escape sequence across two parts', () => {
      // 306 septets would fit two parts of 153, but the € cannot straddle them: part one ends a septet short.
      expect(countSegments(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toMatchObject({
        characters: 306,
        segments: 3,
      });
    });

    it('knows the whole basic table, including Greek capitals, line breaks and currency signs', () => {
      const table = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡§¿äöñüàÄÖÑÜ';
      expect(countSegments(table).encoding).toBe('GSM-7');
    });
  });

  describe('Spanish', () => {
    it('stays GSM-7 with ñ Ñ é É ü Ü à ¡ ¿', () => {
      const text = '¡Hola, Señor Muñoz! ¿Él y Ünal? Pingüino, à É Ñ ü é';
      expect(countSegments(text)).toEqual({ encoding: 'GSM-7', characters: text.length, segments: 1 });
    });

    it.each(['á', 'í', 'ó', 'ú', 'Á', 'Í', 'Ó', 'Ú'])(
      'switches the whole message to UCS-2 for %s',
      (letter) => {
        expect(countSegments(`Aviso: el servicio ${letter} vuelve pronto`)).toMatchObject({
          encoding: 'UCS-2',
        });
      },
    );

    it('counts a notice with "está" as UCS-2: 70 per segment, 67 when split', () => {
      const notice = 'Banco: la app está con fallas. Trabajamos para resolverlo.'; // 58 characters
      expect(countSegments(notice)).toEqual({ encoding: 'UCS-2', characters: 58, segments: 1 });
      expect(countSegments(notice + 'x'.repeat(12))).toMatchObject({ characters: 70, segments: 1 });
      expect(countSegments(notice + 'x'.repeat(13))).toMatchObject({ characters: 71, segments: 2 });
    });
  });

  describe('UCS-2', () => {
    it.each([
      [70, 1],
      [71, 2],
      [134, 2],
      [135, 3],
      [201, 3],
      [202, 4],
    ])('puts %i UCS-2 characters in %i segment(s)', (length, segments) => {
      expect(countSegments('á'.repeat(length))).toEqual({ encoding: 'UCS-2', characters: length, segments });
    });

    it('counts UTF-16 code units, so an emoji takes two', () => {
      expect(countSegments('😀'.repeat(35))).toEqual({ encoding: 'UCS-2', characters: 70, segments: 1 });
      expect(countSegments('😀'.repeat(36))).toEqual({ encoding: 'UCS-2', characters: 72, segments: 2 });
    });

    it('never splits a surrogate pair across two parts', () => {
      // 134 units would fit two parts of 67, but part one can only take 2 + 32 emoji (66 units).
      expect(countSegments(`áá${'😀'.repeat(66)}`)).toMatchObject({ characters: 134, segments: 3 });
    });

    it('switches for characters outside both tables: backtick, tab, ç, Chinese', () => {
      for (const text of ['`code`', 'a\tb', 'Façade', '银行'])
        expect(countSegments(text).encoding).toBe('UCS-2');
    });
  });
});
