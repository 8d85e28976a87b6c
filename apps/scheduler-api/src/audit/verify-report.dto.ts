import { ApiProperty } from '@nestjs/swagger';
import type { SealLag } from '#persistence';
import type { Problem, ProblemKind, VerifyReport } from '#persistence/audit';

const KINDS: ProblemKind[] = ['edited', 'deleted', 'inserted', 'reordered', 'version', 'malformed', 'anchor'];

export class ProblemDto implements Problem {
  @ApiProperty({ description: 'the first bad position' })
  position!: number;

  @ApiProperty({ enum: KINDS })
  kind!: ProblemKind;

  @ApiProperty()
  message!: string;
}

export class SealLagDto implements SealLag {
  @ApiProperty({ description: 'events committed but not yet placed in the log by the sealer (PostgreSQL; not verified yet)', example: 0 })
  unsealed!: number;

  @ApiProperty({ type: Number, nullable: true, description: 'how long the oldest of them has waited, ms', example: null })
  oldestUnsealedMs!: number | null;
}

export class VerifyReportDto implements VerifyReport {
  @ApiProperty({ description: 'true when the hash chain, positions and stream versions all check out' })
  ok!: boolean;

  @ApiProperty({ type: ProblemDto, nullable: true })
  problem!: ProblemDto | null;

  @ApiProperty({ description: 'rows that failed a check before reading stopped' })
  findings!: number;

  @ApiProperty()
  events!: number;

  @ApiProperty()
  streams!: number;

  @ApiProperty()
  headPosition!: number;

  @ApiProperty({ description: 'hash of the last row: record it to detect a rewritten or truncated log later (?anchor=position:hash)' })
  headHash!: string;

  @ApiProperty()
  seconds!: number;

  @ApiProperty()
  eventsPerSecond!: number;

  @ApiProperty({ type: SealLagDto, nullable: true, description: 'the unsealed tail beside the verified log (null for a file)' })
  unsealed!: SealLagDto | null;
}
