import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema } from '../../../src/config/config.schema';

const DOC = join(__dirname, '../../../docs/configuration.md');

/** The variables named in the first column of the doc's tables: rows that open with `| \`NAME\``. */
function documentedVariables(markdown: string): string[] {
  return markdown
    .split('\n')
    .map((line) => /^\|\s*`([A-Z][A-Z0-9_]*)`/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined);
}

describe('docs/configuration.md', () => {
  const schemaVariables = Object.keys(envSchema.shape).sort();
  const documented = documentedVariables(readFileSync(DOC, 'utf8'));

  it('has a row for every variable of the config schema', () => {
    expect(schemaVariables.filter((name) => !documented.includes(name))).toEqual([]);
  });

  it('documents no variable the config schema does not read', () => {
    expect(documented.filter((name) => !schemaVariables.includes(name))).toEqual([]);
  });

  it("shows each variable's default as the schema has it (— when there is none)", () => {
    const defaults = envSchema.parse({}) as Record<string, unknown>;
    const shown = readFileSync(DOC, 'utf8')
      .split('\n')
      .map((line) => /^\|\s*`([A-Z][A-Z0-9_]*)`[^|]*\|\s*([^|]*?)\s*\|/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]);
    expect(shown).toEqual(
      shown.map(([name]) => [name, defaults[name] === undefined ? '—' : `\`${String(defaults[name])}\``]),
    );
  });

  it('has one row per variable', () => {
    expect(documented.filter((name, i) => documented.indexOf(name) !== i)).toEqual([]);
  });
});
