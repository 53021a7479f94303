import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scopes } from '../access/caller';
import { IncidentDetailDto, IncidentPageDto, ListIncidentsQueryDto } from './incident.dto';
import { IncidentsService } from './incidents.service';

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('v1/incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Get()
  @Scopes('incidents:read')
  @ApiOperation({ summary: 'List incidents, newest first' })
  @ApiOkResponse({ type: IncidentPageDto })
  list(@Query() query: ListIncidentsQueryDto): Promise<IncidentPageDto> {
    return this.incidents.list(query);
  }

  @Get(':id')
  @Scopes('incidents:read')
  @ApiOperation({ summary: 'An incident with its current channel states and its event timeline' })
  @ApiOkResponse({ type: IncidentDetailDto })
  @ApiNotFoundResponse({ description: 'No incident with this id.' })
  get(@Param('id') id: string): Promise<IncidentDetailDto> {
    return this.incidents.get(id);
  }
}
