import { applyDecorators } from '@nestjs/common';
import { ApiOperation, ApiResponse, type ApiOperationOptions, type ApiResponseOptions } from '@nestjs/swagger';
import { ApiErrors } from './api-errors.decorator.js';

/** A route's entry in the OpenAPI document. */
export interface RouteDoc extends ApiOperationOptions {
  /** The generated clients' method name. */
  operationId: string;
  summary: string;
  /** The success answer: its body (`type`, or `content`) and its status, 200 unless given. */
  answer: ApiResponseOptions;
  /** Each error status it can answer with (ERROR_ANSWERS). */
  errors?: number[];
}

/** Documents a route in one decorator: the operation, its success answer, its error answers. */
export const ApiRoute = ({ answer, errors = [], ...operation }: RouteDoc) =>
  applyDecorators(ApiOperation(operation), ApiResponse({ status: 200, ...answer }), ApiErrors(...errors));
