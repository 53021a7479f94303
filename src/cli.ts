import 'reflect-metadata';
import { DomainError } from './common/errors/domain-error';
import { runCli } from './cli/run-cli';

runCli(process.argv.slice(2)).catch((err: Error) => {
  const reasons = err instanceof DomainError ? err.errors.map((e) => `${e.field}: ${e.reason}`) : [];
  console.error(reasons.length ? `${err.message} (${reasons.join('; ')})` : err.message);
  process.exit(1);
});
