import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { IMPORT_MODES, type ImportError, type ImportMode, type ImportPreviewRow, type ImportResult } from '#domain';

export class ImportQuery {
  @ApiPropertyOptional({
    enum: IMPORT_MODES,
    default: 'all-or-nothing',
    description: 'all-or-nothing: one bad row and nothing is written (422); accept-valid: the good rows are written, the bad ones reported',
  })
  @IsOptional()
  @IsIn(IMPORT_MODES)
  mode?: ImportMode;

  @ApiPropertyOptional({ type: Boolean, default: false, description: 'check and preview only: nothing is written' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  dryRun?: boolean;
}

export class ImportErrorDto implements ImportError {
  @ApiProperty({ example: 7, description: 'the data row, counted from 1 (the header is not a row)' }) row!: number;
  @ApiProperty({ example: 'phoneNumber', description: 'the column at fault (row: the row as a whole; reference: a clash)' }) field!: string;
  @ApiProperty({ example: 'phoneNumber +1415 is not a valid phone number' }) message!: string;
}

export class ImportPreviewRowDto implements ImportPreviewRow {
  @ApiProperty({ example: 1 }) row!: number;
  @ApiProperty({ enum: ['new', 'existing', 'error'] }) outcome!: 'new' | 'existing' | 'error';
  @ApiPropertyOptional({ example: '+14155550100' }) phoneNumber?: string;
  @ApiPropertyOptional({ example: '2027-03-10 09:00' }) scheduledAt?: string;
  @ApiPropertyOptional({ example: 'America/New_York' }) timezone?: string;
  @ApiPropertyOptional({ example: 'Mon-Fri 09:00-17:00' }) callingWindow?: string;
  @ApiPropertyOptional({ example: 'patient-0001' }) reference?: string;
  @ApiPropertyOptional({ format: 'date-time', example: '2027-03-10T14:00:00.000Z', description: 'when the call would be due (UTC)' }) at?: string;
  @ApiPropertyOptional({ example: 'timezone Mars/Olympus is not an IANA time zone name' }) error?: string;
}

export class ImportResultDto implements ImportResult {
  @ApiProperty({ enum: IMPORT_MODES }) mode!: ImportMode;
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ description: 'false for a dry run and for an all-or-nothing import refused for its errors' }) written!: boolean;
  @ApiProperty({ example: 3, description: 'data rows read' }) rows!: number;
  @ApiProperty({
    example: 1,
    description: 'calls created (in a dry run: the valid new rows, which an import would create once the bad rows are fixed or skipped)',
  })
  created!: number;
  @ApiProperty({ example: 1, description: 'rows whose reference was imported before, or repeated in the file, with the same values: nothing new' })
  existing!: number;
  @ApiProperty({ type: [ImportErrorDto] }) errors!: ImportErrorDto[];
  @ApiProperty({ type: [ImportPreviewRowDto], description: 'the first 20 rows and what the import makes of them' }) preview!: ImportPreviewRowDto[];
}
