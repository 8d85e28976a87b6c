import { Controller, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { Readable } from 'node:stream';
import type { EventMetadata } from '#persistence';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiRoute } from '../../common/api-route.decorator.js';
import { StreamedBody } from '../../common/raw-reply.js';
import { RequestMeta } from '../../common/request-metadata.js';
import { ImportQuery, ImportResultDto } from '../dto/import.dto.js';
import { CallImportService } from './call-import.service.js';
import { CsvBody } from './csv-body.decorator.js';
import { MAX_IMPORT_ROWS } from './import-limits.js';

const EXAMPLE_CSV = [
  'phoneNumber,scheduledAt,timezone,callingWindow,reference',
  '+14155550100,2027-03-10 09:00,America/New_York,,patient-0001',
  '+442079460958,2027-03-10T09:00:00Z,Europe/London,,patient-0002',
].join('\n');

// Either reply object (Express or Fastify) sets a status this way.
interface Reply {
  status(code: number): unknown;
}

@ApiTags('calls')
@Controller('calls')
export class CallImportController {
  constructor(private readonly imports: CallImportService) {}

  @Post('import')
  @Roles('operator')
  @HttpCode(200)
  @ApiRoute({
    operationId: 'importCalls',
    summary: `Schedule up to ${MAX_IMPORT_ROWS} calls from a CSV file (streamed); a repeat of the same file creates nothing new`,
    description:
      'The first line names the columns (case-insensitive; spaces, dashes and underscores ignored): phoneNumber (or phone), ' +
      'scheduledAt (or time: ISO-8601 with an offset, or a local "YYYY-MM-DD HH:mm" read in the row\'s time zone), timezone (IANA, ' +
      'optional), callingWindow (optional) and reference (required: the idempotency key of the row). Each row becomes an ordinary ' +
      'CallScheduled. `row` in errors counts data rows from 1.',
    answer: { type: ImportResultDto, description: 'imported (or, with dryRun, checked): the counts, the refused rows and a preview' },
    errors: [400, 413, 415],
  })
  @ApiConsumes('text/csv')
  // Fastify leaves a text/csv body unread for this route only (common/raw-reply.ts); @CsvBody streams it.
  @StreamedBody('text/csv')
  @ApiBody({ required: true, schema: { type: 'string', example: EXAMPLE_CSV } })
  @ApiUnprocessableEntityResponse({ type: ImportResultDto, description: 'all-or-nothing and a row is bad: nothing was written; the errors name each row' })
  async import(@CsvBody() body: Readable, @Query() query: ImportQuery, @RequestMeta() meta: EventMetadata, @Res({ passthrough: true }) reply: Reply) {
    const result = await this.imports.import(body, query.mode ?? 'all-or-nothing', query.dryRun ?? false, meta);
    if (!result.dryRun && !result.written) reply.status(422);
    return result;
  }
}
