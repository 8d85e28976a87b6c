import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsDefined, IsIn, IsString, Matches } from 'class-validator';
import { KEY_NAME_PATTERN, KEY_NAME_RULE, ROLES, type Role } from './api-key.js';

export class CreateKeyDto {
  @ApiProperty({ example: 'alice', description: `who holds the key; recorded as the actor of what they do (${KEY_NAME_RULE})` })
  @IsDefined({ message: '$property is required' })
  @Matches(KEY_NAME_PATTERN, { message: `$property must be ${KEY_NAME_RULE}` })
  @IsString()
  name!: string;

  @ApiProperty({
    enum: ROLES,
    example: 'operator',
    description: 'viewer: read; operator: also schedule, cancel, retry, dispatch, reschedule; admin: also keys and audit',
  })
  @IsDefined({ message: '$property is required' })
  @IsIn(ROLES, { message: `$property must be one of ${ROLES.join(', ')}` })
  role!: Role;
}

export class KeyDto {
  @ApiProperty({ example: 'alice' })
  name!: string;

  @ApiProperty({ enum: ROLES, example: 'operator' })
  role!: string;

  @ApiProperty({ example: '2026-12-01T09:00:00.000Z' })
  createdAt!: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: null, description: 'when it stopped working; null while live' })
  revokedAt!: string | null;
}

export class IssuedKeyDto extends PickType(KeyDto, ['name', 'role', 'createdAt'] as const) {
  @ApiProperty({ example: 'csk_9lJ0…', description: 'the secret, shown this once: only its hash is stored' })
  key!: string;
}

export class RevokedKeyDto {
  @ApiProperty({ example: 'alice' })
  name!: string;

  @ApiProperty({ example: '2026-12-02T10:00:00.000Z' })
  revokedAt!: string;
}

export class StreamTicketDto {
  @ApiProperty({ description: 'pass as GET /api/stream?ticket=…; single use' })
  ticket!: string;

  @ApiProperty({ example: '2026-12-01T09:01:00.000Z' })
  expiresAt!: string;
}
