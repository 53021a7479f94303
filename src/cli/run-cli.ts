import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AccessModule } from '../access/access.module';
import { ApiKeysService } from '../access/api-keys.service';
import { AuditLog } from '../access/audit-log';
import { SCOPES } from '../access/scopes';
import { loadConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import {
  EVIDENCE_FORMATS,
  EvidenceExport,
  isEvidenceFormat,
  verifyEvidence,
} from '../evidence/evidence-export';
import { EvidenceModule } from '../evidence/evidence.module';
import { People } from '../people/people.service';
import { PeopleModule } from '../people/people.module';
import { ROLES } from '../people/roles';

const USAGE = `Usage:
  npm run cli -- keys:create --name NAME --scopes ${SCOPES.join(',')}
  npm run cli -- keys:revoke --id KEY_ID
  npm run cli -- keys:list
  npm run cli -- evidence --incident REF --out FILE [--format ndjson|csv]
  npm run cli -- evidence:verify --file FILE
  npm run cli -- users:create --email EMAIL --role ${ROLES.join('|')}
With the embedded database (no DATABASE_URL), stop the service first: PGlite serves one process at a time.`;

/** Runs one CLI command against the configured database; every line of output goes through `print`. */
export async function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  print: (line: string) => void = console.log,
): Promise<void> {
  const { positionals, values: options } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      scopes: { type: 'string' },
      id: { type: 'string' },
      incident: { type: 'string' },
      out: { type: 'string' },
      file: { type: 'string' },
      format: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
    },
  });
  const command = positionals[0];
  // Checking a file needs no database: whoever was handed a copy can run it.
  if (command === 'evidence:verify') {
    const file = options.file ?? '';
    if (!verifyEvidence(await readFile(file)))
      throw new Error(`${file}: the SHA-256 on its last line does not match`);
    print(`${file}: SHA-256 verified.`);
    return;
  }
  @Module({
    imports: [
      ConfigModule.forRoot(loadConfig(env)),
      DatabaseModule,
      AccessModule,
      EvidenceModule,
      PeopleModule,
    ],
  })
  class CliModule {}
  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error', 'warn'] });
  try {
    const keys = app.get(ApiKeysService);
    const audit = app.get(AuditLog);
    switch (command) {
      case 'keys:create': {
        const scopes = (options.scopes ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const created = await keys.create(options.name ?? '', scopes);
        await audit.record('cli', {
          action: 'api-key.create',
          target: created.id,
          detail: { name: options.name, scopes },
        });
        print(`Created API key ${created.id} (${options.name}) with scopes ${scopes.join(', ')}.`);
        print('Store it now: it is shown only once.');
        print(created.key);
        return;
      }
      case 'keys:revoke': {
        await keys.revoke(options.id ?? '');
        await audit.record('cli', { action: 'api-key.revoke', target: options.id ?? '' });
        print(`Revoked API key ${options.id}.`);
        return;
      }
      case 'keys:list': {
        for (const key of await keys.list()) {
          const state = key.revoked_at ? `revoked ${key.revoked_at.toISOString()}` : 'active';
          print(`${key.id}  ${key.name}  [${key.scopes.join(',')}]  ${state}`);
        }
        return;
      }
      case 'evidence': {
        const format = options.format ?? 'ndjson';
        if (!isEvidenceFormat(format)) throw new Error(`--format must be ${EVIDENCE_FORMATS.join(' or ')}`);
        if (!options.incident || !options.out) throw new Error(USAGE);
        const { ref, body } = await app.get(EvidenceExport).open(options.incident, format);
        await pipeline(body, createWriteStream(options.out));
        await audit.record('cli', { action: 'evidence.export', target: ref, detail: { format } });
        print(`Wrote the evidence of ${ref} to ${options.out}; its last line is its SHA-256.`);
        return;
      }
      case 'users:create': {
        const created = await app.get(People).create(options.email ?? '', options.role ?? '', 'cli');
        print(`Created ${options.role} ${options.email?.trim().toLowerCase()} (user ${created.id}).`);
        print('One-time password (shown only once; it must be changed at first sign-in to the console):');
        print(created.oneTimePassword);
        return;
      }
      default:
        throw new Error(USAGE);
    }
  } finally {
    await app.close();
  }
}
