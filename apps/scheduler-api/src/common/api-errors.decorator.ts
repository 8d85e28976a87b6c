import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorDto } from '../calls/dto/call-view.dto.js';

interface ErrorAnswer {
  description: string;
  example: ErrorDto;
}

const answer = (statusCode: number, error: string, description: string, message: string, extra: Partial<ErrorDto> = {}): ErrorAnswer => ({
  description,
  example: { statusCode, error, message, ...extra },
});

/** Each error status the API answers, with what it means and one realistic body. */
export const ERROR_ANSWERS: Record<number, ErrorAnswer> = {
  400: answer(
    400,
    'Bad Request',
    'Invalid input; `fields` names each bad field, `code` the broken rule when there is one',
    'phoneNumber must be a valid phone number in international format, e.g. +14155550100',
    {
      code: 'INVALID_PHONE_NUMBER',
      fields: { phoneNumber: ['phoneNumber must be a valid phone number in international format, e.g. +14155550100'] },
    },
  ),
  401: answer(401, 'Unauthorized', 'Missing, unknown or revoked key (when authentication is on)', 'a valid bearer token is required'),
  403: answer(403, 'Forbidden', "The key's role does not allow this", 'this needs the operator role'),
  404: answer(404, 'Not Found', 'Unknown call', 'call 0b6f3c1e-9a7d-4f2b-8c1e-2d3f4a5b6c7d not found', { code: 'CALL_NOT_FOUND' }),
  409: answer(409, 'Conflict', "Not allowed in the call's current status", 'cannot cancel a call that is completed', { code: 'ILLEGAL_TRANSITION' }),
  413: answer(413, 'Payload Too Large', 'Body too large', 'request body is larger than 16384 bytes'),
  415: answer(415, 'Unsupported Media Type', 'A body that is not JSON', 'request body must be JSON (Content-Type: application/json)'),
  422: answer(422, 'Unprocessable Entity', 'Idempotency-Key reused with a different request', 'Idempotency-Key order-42 was used for a different request', {
    code: 'IDEMPOTENCY_MISMATCH',
  }),
  429: answer(
    429,
    'Too Many Requests',
    'Too many requests from this key or address, or too many long reads at once from it; see Retry-After',
    'too many requests; retry after 1 s',
  ),
  503: answer(
    503,
    'Service Unavailable',
    'The database is unreachable, too many long reads run at once, or the service is shutting down; see Retry-After',
    'the database is unreachable; try again shortly',
    {
      code: 'DATABASE_UNAVAILABLE',
    },
  ),
};

/** Documents the error answers of a route, all in the one error shape, each with an example. */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: ERROR_ANSWERS[status].description, type: ErrorDto, example: ERROR_ANSWERS[status].example }),
    ),
  );
