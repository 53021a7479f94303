import { runCli } from '../../src/cli/run-cli';

/** Runs one CLI command against a test's database and resolves with its printed lines. */
export async function cliOn(databaseUrl: string | undefined, ...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  await runCli(args, { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }, (l) =>
    lines.push(l),
  );
  return lines;
}
