import { ApiProperty } from '@nestjs/swagger';
import { DecisionResult } from './notice-approvals';

export class DecisionResultDto implements DecisionResult {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['sending', 'rejected'] }) state!: 'sending' | 'rejected';
  @ApiProperty({ description: 'Audit name of who decided: key:<id>:<name> or user:<id>:<email>' })
  decidedBy!: string;
}
