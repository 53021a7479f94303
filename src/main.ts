import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createHttpApp } from './app/http-app';
import { loadConfig } from './config/app-config';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createHttpApp(config);
  await app.listen(config.env.PORT, config.env.HOST);
  new Logger('Api').log(
    `Aviso API listening on http://${config.env.HOST}:${config.env.PORT} (OpenAPI at /docs)`,
  );
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
