import { Global, Module } from '@nestjs/common';
import { ApiKeysService } from './api-keys.service.js';
import { KeysController } from './keys.controller.js';
import { RequestAuthenticator } from './request-auth.js';
import { StreamTickets } from './stream-tickets.js';

/** API keys, stream tickets and per-request authentication; /api/keys for admins. */
@Global()
@Module({
  controllers: [KeysController],
  providers: [ApiKeysService, StreamTickets, RequestAuthenticator],
  exports: [ApiKeysService, StreamTickets, RequestAuthenticator],
})
export class AuthModule {}
