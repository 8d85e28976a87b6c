import { applyDecorators, Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { EventMetadata } from '#persistence';
import { Roles } from '../auth/auth.decorators.js';
import { ApiRoute } from '../common/api-route.decorator.js';
import { RequestMeta } from '../common/request-metadata.js';
import { CreateSeriesDto, EditSeriesDto, OccurrencesQuery, SeriesReasonDto } from './dto/series.dto.js';
import { OccurrencesDto, SeriesViewDto } from './dto/series-view.dto.js';
import { SeriesIdPipe } from './series-id.pipe.js';
import { SeriesService } from './series.service.js';

const seriesId = new SeriesIdPipe();

/** A route that changes a series: the operator's, answered with the series as it now is. */
const SeriesChange = (operationId: string, summary: string, errors: number[]) =>
  applyDecorators(Roles('operator'), ApiRoute({ operationId, summary, answer: { type: SeriesViewDto }, errors }));

/** A POST that changes a series and answers 200, not 201: it creates nothing. */
const SeriesAction = (operationId: string, summary: string, errors: number[]) => applyDecorators(HttpCode(200), SeriesChange(operationId, summary, errors));

// The reason is optional, and so is the body (DELETE usually has none).
const OptionalReasonBody = () => ApiBody({ type: SeriesReasonDto, required: false });

@ApiTags('series')
@Controller('series')
export class SeriesController {
  constructor(private readonly series: SeriesService) {}

  @Post()
  @Roles('operator')
  @ApiRoute({
    operationId: 'createSeries',
    summary: 'Create a recurring call: each occurrence of the RRULE becomes a call SERIES_LEAD ahead',
    answer: { status: 201, type: SeriesViewDto },
    errors: [400],
  })
  create(@Body() dto: CreateSeriesDto, @RequestMeta() meta: EventMetadata) {
    return this.series.create(dto, meta);
  }

  @Get()
  @ApiRoute({ operationId: 'listSeries', summary: 'Every series, newest first', answer: { type: [SeriesViewDto] } })
  list() {
    return this.series.list();
  }

  @Get(':id')
  @ApiRoute({ operationId: 'getSeries', summary: 'One series', answer: { type: SeriesViewDto }, errors: [404] })
  get(@Param('id', seriesId) id: string) {
    return this.series.get(id);
  }

  @Get(':id/occurrences')
  @ApiRoute({
    operationId: 'listSeriesOccurrences',
    summary: 'The last `limit` occurrences with their calls’ outcomes, then the next `limit` (UTC)',
    answer: { type: OccurrencesDto },
    errors: [400, 404],
  })
  occurrences(@Param('id', seriesId) id: string, @Query() query: OccurrencesQuery) {
    return this.series.occurrences(id, query);
  }

  @Patch(':id')
  @SeriesChange('editSeries', 'Change a series from its next occurrence not yet created on', [400, 404, 409])
  edit(@Param('id', seriesId) id: string, @Body() dto: EditSeriesDto, @RequestMeta() meta: EventMetadata) {
    return this.series.edit(id, dto, meta);
  }

  @Delete(':id')
  @SeriesChange('endSeries', 'End a series: no more occurrences, and its calls still pending are cancelled', [400, 404, 409])
  @OptionalReasonBody()
  end(@Param('id', seriesId) id: string, @Body() dto: SeriesReasonDto, @RequestMeta() meta: EventMetadata) {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined without a body (see CallsController.cancel)
    return this.series.end(id, dto?.reason, meta);
  }

  @Post(':id/pause')
  @SeriesAction('pauseSeries', 'Pause: no new calls until resumed (occurrences in the pause are not made up for)', [400, 404, 409])
  @OptionalReasonBody()
  pause(@Param('id', seriesId) id: string, @Body() dto: SeriesReasonDto, @RequestMeta() meta: EventMetadata) {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined without a body
    return this.series.pause(id, dto?.reason, meta);
  }

  @Post(':id/resume')
  @SeriesAction('resumeSeries', 'Resume a paused series from now on', [404, 409])
  resume(@Param('id', seriesId) id: string, @RequestMeta() meta: EventMetadata) {
    return this.series.resume(id, meta);
  }
}
