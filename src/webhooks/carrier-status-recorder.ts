import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { CarrierReportLedger, CarrierStatus } from '../ledger/carrier-reports.ledger';

/** How long a report waits for others to share its statement; Twilio does not mind a few milliseconds. */
const GATHER_MS = 20;
const MAX_REPORTS = 500;

interface Waiting {
  status: CarrierStatus;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Records carriers' final reports in groups: one UPDATE for all reports that arrive within a few milliseconds,
 * instead of a statement and a commit per report, which at tens of thousands of SMS cost the API as much as the
 * sends cost the worker. Each request is answered only after its group is committed, so an acknowledged report is
 * never lost.
 */
@Injectable()
export class CarrierStatusRecorder implements OnApplicationShutdown {
  private waiting: Waiting[] = [];
  private timer?: NodeJS.Timeout;

  constructor(private readonly ledger: CarrierReportLedger) {}

  record(status: CarrierStatus): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ status, resolve, reject });
      if (this.waiting.length >= MAX_REPORTS) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), GATHER_MS);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const group = this.waiting;
    this.waiting = [];
    if (!group.length) return;
    try {
      await this.ledger.recordCarrierStatuses(group.map((w) => w.status));
      for (const w of group) w.resolve();
    } catch (err) {
      for (const w of group) w.reject(err);
    }
  }
}
