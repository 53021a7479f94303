import { ApiProperty } from '@nestjs/swagger';
import { CancelResult, RetryResult } from './notice-control';

export class CancelResultDto implements CancelResult {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['cancelled'] }) state!: 'cancelled';
  @ApiProperty({ description: 'Recipients still pending, now skipped with reason "cancelled"' })
  skipped!: number;
}

export class RetryResultDto implements RetryResult {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'Failed recipients put back in new batches' }) requeued!: number;
}
