import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CALL_STATUSES, type OccurrenceView, type SeriesView } from '#domain';

export class SeriesViewDto implements SeriesView {
  @ApiProperty({ example: '6f1c2f0e-8a0d-4c3e-9a57-1f7e0b8f5c21' }) id!: string;
  @ApiProperty({ enum: ['active', 'paused', 'ended'], example: 'active' }) status!: SeriesView['status'];
  @ApiProperty({ example: '+14155550100' }) phoneNumber!: string;
  @ApiProperty({ example: 'America/New_York' }) timezone!: string;
  @ApiProperty({ example: 'FREQ=DAILY;BYSECOND=0;BYMINUTE=0;BYHOUR=9', description: 'normalised' }) rrule!: string;
  @ApiProperty({ example: '2027-03-10T12:00:00.000Z' }) startsAt!: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: null }) until!: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true, example: 30 }) count!: number | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'Mon-Fri 09:00-17:00' }) callingWindow!: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '2027-03-10T14:00:00.000Z',
    description: 'next occurrence to become a call (null unless active)',
  })
  nextAt!: string | null;
  @ApiProperty({ example: 3, description: 'occurrences dealt with so far' }) occurrences!: number;
  @ApiPropertyOptional({ type: String, nullable: true, example: '2027-03-09T14:00:00.000Z' }) lastAt!: string | null;
  @ApiProperty({ example: '2027-03-01T10:00:00.000Z' }) createdAt!: string;
  @ApiProperty({ example: '2027-03-01T10:00:00.000Z' }) updatedAt!: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: null }) endedAt!: string | null;
  @ApiProperty({ example: 1 }) version!: number;
}

export class OccurrenceDto implements OccurrenceView {
  @ApiProperty({ example: '2027-03-14T13:00:00.000Z', description: 'UTC ISO-8601' }) at!: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'c0ffee00-0000-8000-8000-000000000001', description: 'the call it became' })
  callId!: string | null;
  @ApiProperty({
    enum: [...CALL_STATUSES, 'upcoming', 'skipped'],
    example: 'completed',
    description: "the call's status; upcoming before it became a call; skipped when it could not be placed",
  })
  status!: OccurrenceView['status'];
  @ApiPropertyOptional({ type: String, nullable: true, example: null, description: 'why it was skipped, or the call’s last error' }) reason!: string | null;
}

export class OccurrencesDto {
  @ApiProperty({ type: [OccurrenceDto], description: 'past occurrences (oldest first), then upcoming ones' }) items!: OccurrenceDto[];
}
