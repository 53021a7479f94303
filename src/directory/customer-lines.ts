import { FieldError } from '../common/errors/domain-error';
import { CustomerBatches } from './customer-batches';
import { CustomerBatch } from './customer-rows';
import { CustomerCheck, CustomerValidator } from './customer-validator';
import { NdjsonLine, NdjsonLineSplitter } from './ndjson-lines';

const MAX_LINE_BYTES = 64 * 1024;
const MAX_REPORTED_ERRORS = 100;

export interface LineError {
  line: number;
  errors: FieldError[];
}

/** What a stretch of the upload gave: full batches, and the lines rejected in it (the first MAX_REPORTED_ERRORS). */
export interface CheckedLines {
  batches: CustomerBatch[];
  accepted: number;
  rejected: number;
  errors: LineError[];
}

/**
 * An NDJSON upload turned into batches ready to write: lines split, parsed, checked like a PUT and grouped, with
 * the bad ones reported by line number.
 */
export class CustomerLines {
  private readonly splitter = new NdjsonLineSplitter(MAX_LINE_BYTES);
  private readonly batches = new CustomerBatches();
  private reported = 0;

  constructor(private readonly validator: CustomerValidator) {}

  push(chunk: Buffer): CheckedLines {
    return this.take(this.splitter.push(chunk), false);
  }

  /** The rest of the upload, ending with the final batch (possibly empty). */
  end(): CheckedLines {
    return this.take(this.splitter.end(), true);
  }

  private take(lines: NdjsonLine[], last: boolean): CheckedLines {
    const checked: CheckedLines = { batches: [], accepted: 0, rejected: 0, errors: [] };
    for (const line of lines) {
      const { customer, errors } = this.check(line);
      if (customer) {
        checked.accepted++;
        const full = this.batches.add(customer);
        if (full) checked.batches.push(full);
      } else {
        checked.rejected++;
        if (this.reported++ < MAX_REPORTED_ERRORS) checked.errors.push({ line: line.line, errors });
      }
    }
    if (last) checked.batches.push(this.batches.take());
    return checked;
  }

  private check(line: NdjsonLine): CustomerCheck {
    if (line.tooLong)
      return { errors: [{ field: '', reason: `line is longer than ${MAX_LINE_BYTES} bytes` }] };
    let parsed: unknown;
    try {
      parsed = JSON.parse(line.text);
    } catch (err) {
      return { errors: [{ field: '', reason: `is not valid JSON: ${(err as Error).message}` }] };
    }
    return this.validator.check(parsed);
  }
}
