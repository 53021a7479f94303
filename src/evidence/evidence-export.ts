import { createHash } from 'node:crypto';
import { pipeline, Readable, Transform } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import { DomainError } from '../common/errors/domain-error';
import { auditRecord, CSV_COLUMNS, deliveryRecord, EvidenceRecord, eventRecord } from './evidence-records';
import { EvidenceRepository } from './evidence.repository';

export const EVIDENCE_FORMATS = ['ndjson', 'csv'] as const;
export type EvidenceFormat = (typeof EVIDENCE_FORMATS)[number];

export function isEvidenceFormat(value: string): value is EvidenceFormat {
  return (EVIDENCE_FORMATS as readonly string[]).includes(value);
}

export const EVIDENCE_MEDIA_TYPES: Record<EvidenceFormat, string> = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

export interface EvidenceStream {
  ref: string;
  body: Readable;
}

/**
 * An incident's evidence as one stream: every delivery of its notices, then its events, then the audit entries
 * about it. Rows come from database cursors as the reader takes them, so memory stays flat however many
 * deliveries there are. The last line carries the SHA-256 of every byte before it.
 */
@Injectable()
export class EvidenceExport {
  constructor(private readonly evidence: EvidenceRepository) {}

  async open(idOrRef: string, format: EvidenceFormat): Promise<EvidenceStream> {
    const incident = await this.evidence.findIncident(idOrRef);
    if (!incident) throw DomainError.notFound('Incident', idOrRef);
    const serializer =
      format === 'csv'
        ? stringify({
            header: true,
            columns: [...CSV_COLUMNS],
            cast: { object: (v) => JSON.stringify(v), boolean: String },
          })
        : ndjson();
    // A failure midway (a lost connection) destroys the body before its trailer: the copy cannot verify.
    const body = pipeline(
      Readable.from(this.records(incident.id)),
      serializer,
      hashTrailer(format),
      () => undefined,
    );
    return { ref: incident.ref, body };
  }

  private async *records(incidentId: string): AsyncGenerator<EvidenceRecord> {
    const notices = await this.evidence.notices(incidentId);
    for (const notice of notices) {
      for await (const row of this.evidence.deliveries(notice.id)) yield deliveryRecord(row);
    }
    const events = await this.evidence.events(incidentId);
    for (const event of events) yield eventRecord(event);
    const targets = [...events.map((e) => e.id), ...notices.map((n) => n.id)];
    for await (const row of this.evidence.audit(incidentId, targets)) yield auditRecord(row);
  }
}

function ndjson(): Transform {
  return new Transform({
    writableObjectMode: true,
    transform(record: EvidenceRecord, _encoding, done) {
      done(null, `${JSON.stringify(record)}\n`);
    },
  });
}

/** Passes the bytes on, hashing them, and ends with the hash in the format's own line shape. */
function hashTrailer(format: EvidenceFormat): Transform {
  const hash = createHash('sha256');
  return new Transform({
    transform(chunk: Buffer | string, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      const digest = hash.digest('hex');
      done(
        null,
        format === 'csv' ? `sha256,${digest}\n` : `${JSON.stringify({ record: 'sha256', sha256: digest })}\n`,
      );
    },
  });
}

/** Checks a whole export: its last line's hash against the SHA-256 of everything before that line. */
export function verifyEvidence(content: Buffer): boolean {
  const end = content.lastIndexOf('\n', content.length - 2) + 1;
  const last = content.subarray(end).toString('utf8').trim();
  const claimed = last.startsWith('sha256,')
    ? last.slice(7)
    : (JSON.parse(last) as { sha256?: string }).sha256;
  return claimed === createHash('sha256').update(content.subarray(0, end)).digest('hex');
}
