import { localizedTextProblem } from '../../../src/events/localized-text.validator';

describe(localizedTextProblem.name, () => {
  it.each([
    [{ 'es-CO': 'Hola' }, null],
    [{ 'es-CO': 'ñ'.repeat(10) }, null],
    [{ 'es-CO': '🙂'.repeat(10) }, null],
    ['Hola', 'title must be an object of texts keyed by locale'],
    [['Hola'], 'title must be an object of texts keyed by locale'],
    [null, 'title must be an object of texts keyed by locale'],
    [{}, 'title must contain at least one locale'],
    [{ en: 3 }, 'title.en must be a string'],
    [{ en: ' \n ' }, 'title.en must be 1 to 10 characters'],
    [{ en: 'x'.repeat(11) }, 'title.en must be 1 to 10 characters'],
  ])('%j → %s', (value, problem) => {
    expect(localizedTextProblem('title', value, 10)).toBe(problem);
  });
});
