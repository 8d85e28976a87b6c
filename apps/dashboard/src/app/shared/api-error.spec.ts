import { HttpErrorResponse } from '@angular/common/http';
import { toApiProblem, withFieldLabel } from './api-error';

function httpError(status: number, error: unknown): HttpErrorResponse {
  return new HttpErrorResponse({ status, error, statusText: 'x' });
}

describe('toApiProblem', () => {
  it('takes the fields map of a validation error', () => {
    const problem = toApiProblem(
      httpError(400, {
        statusCode: 400,
        error: 'Bad Request',
        message: ['phoneNumber must be E.164'],
        fields: { phoneNumber: ['phoneNumber must be E.164'] },
      }),
    );
    expect(problem.fields).toEqual({ phoneNumber: ['phoneNumber must be E.164'] });
    expect(problem.message).toBe('Please correct the highlighted fields.');
  });

  it('files array messages under their first word when there is no fields map', () => {
    const problem = toApiProblem(httpError(400, { statusCode: 400, message: ['scheduledAt must have an offset', 'timezone is unknown', 'timezone is bad'] }));
    expect(problem.fields).toEqual({
      scheduledAt: ['scheduledAt must have an offset'],
      timezone: ['timezone is unknown', 'timezone is bad'],
    });
  });

  it('keeps a plain message, e.g. a 409', () => {
    const problem = toApiProblem(httpError(409, { statusCode: 409, error: 'Conflict', message: 'Call is not pending' }));
    expect(problem).toEqual({ status: 409, message: 'Call is not pending', fields: {} });
  });

  it('prefers the field messages over a single-string message when both are given', () => {
    const problem = toApiProblem(
      httpError(400, { statusCode: 400, message: 'scheduledAt is in the past', fields: { scheduledAt: ['scheduledAt is in the past'] } }),
    );
    expect(problem.message).toBe('Please correct the highlighted fields.');
    expect(problem.fields['scheduledAt']).toEqual(['scheduledAt is in the past']);
  });

  it('puts the field label in place of the field name', () => {
    expect(withFieldLabel('scheduledAt is in the past', 'scheduledAt', 'Date and time')).toBe('Date and time is in the past');
    expect(withFieldLabel('something else', 'scheduledAt', 'Date and time')).toBe('something else');
  });

  it('says the server is unreachable on a network error', () => {
    expect(toApiProblem(httpError(0, new ProgressEvent('error'))).message).toMatch(/Cannot reach/);
  });
});
