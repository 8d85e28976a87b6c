import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorDto } from '../calls/dto/call-view.dto.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `fields` names each bad field',
  401: 'Missing or wrong bearer token (when AUTH_TOKEN is set)',
  404: 'Unknown call',
  409: 'Not allowed in the call\'s current status',
  413: 'Body too large',
  422: 'Idempotency-Key reused with a different body',
};

/** Documents the error answers of a route, all in the one error shape. */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status], type: ErrorDto })));
