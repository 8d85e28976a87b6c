import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EventMetadata } from '#persistence';
import { Roles } from '../auth/auth.decorators.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { RequestMeta } from '../common/request-metadata.js';
import { CreateSeriesDto, EditSeriesDto, OccurrencesQuery, SeriesReasonDto } from './dto/series.dto.js';
import { OccurrencesDto, SeriesViewDto } from './dto/series-view.dto.js';
import { SeriesIdPipe } from './series-id.pipe.js';
import { SeriesService } from './series.service.js';

const seriesId = new SeriesIdPipe();

@ApiTags('series')
@Controller('series')
export class SeriesController {
  constructor(@Inject(SeriesService) private readonly series: SeriesService) {}

  @Post()
  @Roles('operator')
  @ApiOperation({ operationId: 'createSeries', summary: 'Create a recurring call: each occurrence of the RRULE becomes a call SERIES_LEAD ahead' })
  @ApiCreatedResponse({ type: SeriesViewDto })
  @ApiErrors(400)
  create(@Body() dto: CreateSeriesDto, @RequestMeta() meta: EventMetadata) {
    return this.series.create(dto, meta);
  }

  @Get()
  @ApiOperation({ operationId: 'listSeries', summary: 'Every series, newest first' })
  @ApiOkResponse({ type: [SeriesViewDto] })
  list() {
    return this.series.list();
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getSeries', summary: 'One series' })
  @ApiOkResponse({ type: SeriesViewDto })
  @ApiErrors(404)
  get(@Param('id', seriesId) id: string) {
    return this.series.get(id);
  }

  @Get(':id/occurrences')
  @ApiOperation({ operationId: 'listSeriesOccurrences', summary: 'The last `limit` occurrences with their calls’ outcomes, then the next `limit` (UTC)' })
  @ApiOkResponse({ type: OccurrencesDto })
  @ApiErrors(400, 404)
  occurrences(@Param('id', seriesId) id: string, @Query() query: OccurrencesQuery) {
    return this.series.occurrences(id, query);
  }

  @Patch(':id')
  @Roles('operator')
  @ApiOperation({ operationId: 'editSeries', summary: 'Change a series from its next occurrence not yet created on' })
  @ApiOkResponse({ type: SeriesViewDto })
  @ApiErrors(400, 404, 409)
  edit(@Param('id', seriesId) id: string, @Body() dto: EditSeriesDto, @RequestMeta() meta: EventMetadata) {
    return this.series.edit(id, dto, meta);
  }

  @Delete(':id')
  @Roles('operator')
  @ApiOperation({ operationId: 'endSeries', summary: 'End a series: no more occurrences, and its calls still pending are cancelled' })
  @ApiOkResponse({ type: SeriesViewDto })
  @ApiErrors(400, 404, 409)
  @ApiBody({ type: SeriesReasonDto, required: false })
  end(@Param('id', seriesId) id: string, @Body() dto: SeriesReasonDto, @RequestMeta() meta: EventMetadata) {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined without a body (see CallsController.cancel)
    return this.series.end(id, dto?.reason, meta);
  }

  @Post(':id/pause')
  @Roles('operator')
  @HttpCode(200)
  @ApiOperation({ operationId: 'pauseSeries', summary: 'Pause: no new calls until resumed (occurrences in the pause are not made up for)' })
  @ApiOkResponse({ type: SeriesViewDto })
  @ApiErrors(400, 404, 409)
  @ApiBody({ type: SeriesReasonDto, required: false })
  pause(@Param('id', seriesId) id: string, @Body() dto: SeriesReasonDto, @RequestMeta() meta: EventMetadata) {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined without a body
    return this.series.pause(id, dto?.reason, meta);
  }

  @Post(':id/resume')
  @Roles('operator')
  @HttpCode(200)
  @ApiOperation({ operationId: 'resumeSeries', summary: 'Resume a paused series from now on' })
  @ApiOkResponse({ type: SeriesViewDto })
  @ApiErrors(404, 409)
  resume(@Param('id', seriesId) id: string, @RequestMeta() meta: EventMetadata) {
    return this.series.resume(id, meta);
  }
}
