import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema } from '../../../src/config/config.schema';

const EXAMPLE = join(__dirname, '../../../.env.example');

/** `NAME=value` lines, commented out or not, in file order. */
function exampleVariables(text: string): [string, string][] {
  return text
    .split('\n')
    .map((line) => /^#?\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1], m[2]]);
}

/** When these fail after a variable was added: `npm run env:example` writes the file again. */
describe('.env.example', () => {
  const example = exampleVariables(readFileSync(EXAMPLE, 'utf8'));
  const defaults = envSchema.parse({}) as Record<string, unknown>;

  it('names every variable of the config schema once, and no other, in the schema order', () => {
    expect(example.map(([name]) => name)).toEqual(Object.keys(envSchema.shape));
  });

  it("shows each variable's default as the schema has it (empty when there is none)", () => {
    const expected = Object.keys(envSchema.shape).map((name) => [
      name,
      defaults[name] === undefined ? '' : String(defaults[name]),
    ]);
    expect(example).toEqual(expected);
  });

  it('is valid as it stands: uncommented, it starts Aviso with its defaults', () => {
    expect(envSchema.safeParse(Object.fromEntries(example)).success).toBe(true);
  });
});
