import { parentPort, workerData } from 'node:worker_threads';
import { ChannelCatalog } from '../config/channel-catalog';
import { CheckedLines, CustomerLines } from './customer-lines';
import { CustomerValidator } from './customer-validator';

/** Main thread → worker: a piece of the upload, or its end. */
export type ToLineWorker = { chunk: Uint8Array } | { end: true };

const encoder = new TextEncoder();
const bytes = (rows: string | Uint8Array) => (typeof rows === 'string' ? encoder.encode(rows) : rows);

/** Answers each message, in order; the rows go back as bytes, moved rather than copied. */
function answer(checked: CheckedLines): void {
  const batches = checked.batches.map((batch) => ({
    ...batch,
    customerRows: bytes(batch.customerRows),
    deviceRows: bytes(batch.deviceRows),
  }));
  parentPort?.postMessage(
    { ...checked, batches } satisfies CheckedLines,
    batches.flatMap((b) => [b.customerRows.buffer as ArrayBuffer, b.deviceRows.buffer as ArrayBuffer]),
  );
}

const lines = new CustomerLines(new CustomerValidator((workerData as { catalog: ChannelCatalog }).catalog));
parentPort?.on('message', (message: ToLineWorker) =>
  answer(
    'chunk' in message
      ? lines.push(Buffer.from(message.chunk.buffer, message.chunk.byteOffset, message.chunk.byteLength))
      : lines.end(),
  ),
);
