import { Module } from '@nestjs/common';
import { BatchLedger } from './batches.ledger';
import { CarrierReportLedger } from './carrier-reports.ledger';
import { NoticeControlLedger } from './notice-controls.ledger';
import { PlanningLedger } from './planning.ledger';

/**
 * The delivery ledger: one row per customer per notice and medium, the source of truth for who was told. Its SQL is split by
 * the job that runs it; the worker plans and records, the API applies carrier reports and notice controls.
 */
@Module({
  providers: [PlanningLedger, BatchLedger, CarrierReportLedger, NoticeControlLedger],
  exports: [PlanningLedger, BatchLedger, CarrierReportLedger, NoticeControlLedger],
})
export class LedgerModule {}
