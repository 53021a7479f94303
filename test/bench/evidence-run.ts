import { createHash } from 'node:crypto';
import type { BenchProcess } from './processes';

export interface EvidenceFigures {
  seconds: number;
  lines: number;
  megabytes: number;
  linesPerSecond: number;
  /** VmHWM of an API process started for the export alone: its boot plus the export. */
  apiPeakRssMb: number | null;
  /** The last line's SHA-256 matches the bytes before it. */
  verified: boolean;
}

/**
 * Downloads an incident's evidence export (NDJSON) from a fresh API process, as a complaint handler would, and
 * checks its hash on the fly: the time, the size and the API's peak memory show whether it streams.
 */
export async function measureEvidenceExport(
  apiUrl: string,
  authorization: string,
  incidentRef: string,
  api: BenchProcess,
): Promise<EvidenceFigures> {
  const startedAt = Date.now();
  const res = await fetch(
    `${apiUrl}/v1/incidents/${encodeURIComponent(incidentRef)}/evidence?format=ndjson`,
    {
      headers: { authorization },
    },
  );
  if (res.status !== 200 || !res.body) throw new Error(`the evidence export answered ${res.status}`);
  const hash = createHash('sha256');
  // Bytes from the start of the latest line on: everything before it is hashed as it arrives, the last line is the hash.
  let held = Buffer.alloc(0);
  let bytes = 0;
  let lines = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
    held = Buffer.concat([held, chunk]);
    const cut = held.lastIndexOf(10, held.length - 2);
    if (cut >= 0) {
      hash.update(held.subarray(0, cut + 1));
      held = held.subarray(cut + 1);
    }
  }
  const seconds = (Date.now() - startedAt) / 1000;
  const claimed = (JSON.parse(held.toString('utf8')) as { sha256?: string }).sha256;
  return {
    seconds,
    lines,
    megabytes: Math.round(bytes / 2 ** 20),
    linesPerSecond: Math.round(lines / seconds),
    apiPeakRssMb: api.peakRssMb(),
    verified: claimed === hash.digest('hex'),
  };
}
