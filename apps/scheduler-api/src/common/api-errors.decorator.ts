import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorDto } from '../calls/dto/call-view.dto.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `fields` names each bad field',
  401: 'Missing, unknown or revoked API key (when keys or AUTH_TOKEN exist)',
  403: 'The key\'s role does not allow this',
  404: 'Unknown call (or key)',
  409: 'Not allowed in the call\'s current status (or a live key has this name)',
  413: 'Body too large',
  422: 'Idempotency-Key reused with a different body',
  429: 'Too many long reads (catch-up, export, verify) from this client address at once; see Retry-After',
  503: 'Too many long reads at once, or shutting down; see Retry-After',
};

/** Documents the error answers of a route, all in the one error shape. */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status], type: ErrorDto })));
