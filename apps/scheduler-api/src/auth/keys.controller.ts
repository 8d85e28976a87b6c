import { Body, ConflictException, Controller, Delete, Get, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiKeyNameTakenError } from '#persistence';
import { ApiRoute } from '../common/api-route.decorator.js';
import { ApiKeysService } from './api-keys.service.js';
import { Roles } from './auth.decorators.js';
import { CreateKeyDto, IssuedKeyDto, KeyDto, RevokedKeyDto } from './keys.dto.js';

@ApiTags('keys')
@Roles('admin')
@Controller('keys')
export class KeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @ApiRoute({
    operationId: 'listApiKeys',
    summary: 'Every API key ever issued: name, role, created, revoked (never the key)',
    answer: { type: [KeyDto] },
    errors: [401, 403],
  })
  list() {
    return this.keys.list();
  }

  @Post()
  @ApiRoute({
    operationId: 'createApiKey',
    summary: 'Issue an API key; the answer holds the key, shown this once',
    answer: { status: 201, type: IssuedKeyDto },
    errors: [400, 401, 403, 409],
  })
  async create(@Body() dto: CreateKeyDto) {
    try {
      return await this.keys.create(dto.name, dto.role);
    } catch (error) {
      if (error instanceof ApiKeyNameTakenError)
        throw new ConflictException({ message: error.message, code: 'API_KEY_NAME_TAKEN', fields: { name: [error.message] } });
      throw error;
    }
  }

  @Delete(':name')
  @ApiRoute({
    operationId: 'revokeApiKey',
    summary: 'Revoke the live key with this name: it is refused (401) from now on',
    answer: { type: RevokedKeyDto },
    errors: [401, 403, 404],
  })
  async revoke(@Param('name') name: string) {
    const revokedAt = await this.keys.revoke(name);
    if (!revokedAt) throw new NotFoundException({ message: `no live API key is named "${name}"`, code: 'API_KEY_NOT_FOUND' });
    return { name, revokedAt };
  }
}
