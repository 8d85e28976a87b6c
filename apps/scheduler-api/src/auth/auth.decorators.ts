import { SetMetadata } from '@nestjs/common';
import type { Role } from './api-key.js';

export const IS_PUBLIC = 'auth:public';
export const REQUIRED_ROLE = 'auth:role';
export const ACCEPTS_TICKET = 'auth:ticket';

/** Open even when authentication is on: only /health (load balancers hold no key). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The least role a route needs; routes without it need `viewer` (any valid key). */
export const Roles = (role: Role) => SetMetadata(REQUIRED_ROLE, role);

/** The route also takes a stream ticket as `?ticket=` (EventSource cannot send headers). Nothing else does. */
export const AcceptsTicket = () => SetMetadata(ACCEPTS_TICKET, true);
