import { Body, Controller, Delete, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiCaller, Caller, Scopes } from '../access/caller';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { StreamedBody } from '../common/http/json-body.reader';
import { mediaTypeOf } from '../common/http/media-type';
import { CustomerImportService, ImportSummary } from './customer-import.service';
import { CustomerDto, ImportSummaryDto, StoredCustomerDto } from './customer.dto';
import { StoredCustomer } from './customer';
import { DirectoryService } from './directory.service';

const NDJSON = 'application/x-ndjson';

@ApiTags('directory')
@ApiBearerAuth()
@Scopes('customers:write')
@Controller('v1/customers')
export class CustomersController {
  constructor(
    private readonly directory: DirectoryService,
    private readonly imports: CustomerImportService,
  ) {}

  @Put(':id')
  @ApiOperation({ summary: 'Create or replace a customer, with their devices and channel activity' })
  @ApiBody({ type: CustomerDto })
  @ApiOkResponse({ type: StoredCustomerDto })
  upsert(
    @Param('id') id: string,
    @Body() body: unknown,
    @Caller() caller: ApiCaller,
  ): Promise<StoredCustomer> {
    return this.directory.upsert(id, body, caller);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a customer with their devices and channel activity' })
  @ApiNoContentResponse()
  delete(@Param('id') id: string, @Caller() caller: ApiCaller): Promise<void> {
    return this.directory.delete(id, caller);
  }

  @Post('import')
  @HttpCode(200)
  @StreamedBody()
  @ApiOperation({
    summary: 'Bulk upsert from an NDJSON stream, one customer per line',
    description:
      'Lines are checked like PUT bodies (plus a required `id`); valid lines are stored, invalid ones reported.',
  })
  @ApiConsumes(NDJSON)
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiOkResponse({ type: ImportSummaryDto })
  import(@Req() req: Request, @Caller() caller: ApiCaller): Promise<ImportSummary> {
    return this.imports.import(ndjsonStream(req), caller);
  }
}

/** The request itself is the stream: the JSON body parser leaves this content type untouched. */
function ndjsonStream(req: Request): Request {
  const type = mediaTypeOf(req.headers);
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (type !== NDJSON || encoding !== 'identity') {
    throw new DomainError(
      ErrorCode.UnsupportedMediaType,
      `The import takes an uncompressed Content-Type: ${NDJSON} body, one customer per line.`,
    );
  }
  return req;
}
