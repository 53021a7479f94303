export interface ReceivedStats {
  /** Provider requests received, faulted ones included. */
  count: number;
  /** Requests answered with success (2xx). */
  accepted: number;
  /** Answers by HTTP status; 0 counts requests left hanging. */
  byStatus: Record<string, number>;
  /** Epoch milliseconds of the first and last request since the last reset. */
  firstAt: number | null;
  lastAt: number | null;
  /** Requests being answered (or hanging) now, and the most at once since the last reset. */
  inFlight: number;
  maxInFlight: number;
  /** Full records kept (at most `recordCap`); later requests are only counted. */
  recorded: number;
  recordCap: number;
}

/** Counters for every request, full records only up to a cap, so a million-message run keeps memory flat. */
export class ReceivedLog<T> {
  private count = 0;
  private accepted = 0;
  private byStatus: Record<string, number> = {};
  private firstAt: number | null = null;
  private lastAt: number | null = null;
  private inFlight = 0;
  private maxInFlight = 0;
  private records: (T & { at: number; status: number })[] = [];

  constructor(private readonly recordCap: number) {}

  opened(): void {
    this.inFlight += 1;
    if (this.inFlight > this.maxInFlight) this.maxInFlight = this.inFlight;
  }

  closed(): void {
    this.inFlight -= 1;
  }

  note(status: number, record: T): void {
    const at = Date.now();
    this.count += 1;
    if (status >= 200 && status < 300) this.accepted += 1;
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
    this.firstAt ??= at;
    this.lastAt = at;
    if (this.records.length < this.recordCap) this.records.push({ ...record, at, status });
  }

  stats(): ReceivedStats {
    return {
      count: this.count,
      accepted: this.accepted,
      byStatus: { ...this.byStatus },
      firstAt: this.firstAt,
      lastAt: this.lastAt,
      inFlight: this.inFlight,
      maxInFlight: this.maxInFlight,
      recorded: this.records.length,
      recordCap: this.recordCap,
    };
  }

  list(offset = 0, limit = this.recordCap): (T & { at: number; status: number })[] {
    return this.records.slice(offset, offset + limit);
  }

  clear(): void {
    this.count = 0;
    this.accepted = 0;
    this.byStatus = {};
    this.firstAt = null;
    this.lastAt = null;
    this.maxInFlight = this.inFlight;
    this.records = [];
  }
}
