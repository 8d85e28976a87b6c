import { HttpErrorResponse } from '@angular/common/http';

/** An API failure as the UI shows it: one sentence, plus messages per form field. */
export interface ApiProblem {
  status: number;
  message: string;
  fields: Record<string, string[]>;
}

interface ErrorBody {
  statusCode?: number;
  error?: string;
  message?: string | string[];
  fields?: Record<string, string[] | string>;
}

/**
 * Maps `{statusCode, error, message, fields?}` to field errors. `fields` wins when present;
 * otherwise each message of an array is filed under its first word (the API starts every
 * validation message with the field name).
 */
export function toApiProblem(err: unknown): ApiProblem {
  if (!(err instanceof HttpErrorResponse)) {
    return { status: 0, message: err instanceof Error ? err.message : 'Something went wrong.', fields: {} };
  }
  if (err.status === 0) {
    return { status: 0, message: 'Cannot reach the scheduler API. Check your connection and try again.', fields: {} };
  }
  const body = (typeof err.error === 'object' && err.error !== null ? err.error : {}) as ErrorBody;
  const fields: Record<string, string[]> = {};
  if (body.fields && typeof body.fields === 'object') {
    for (const [name, messages] of Object.entries(body.fields)) {
      fields[name] = Array.isArray(messages) ? messages.map(String) : [messages];
    }
  } else if (Array.isArray(body.message)) {
    for (const message of body.message) {
      const name = /^([A-Za-z_$][\w$.]*)\s/.exec(message)?.[1];
      if (name) (fields[name] ??= []).push(message);
    }
  }
  let message: string;
  if (Object.keys(fields).length > 0) message = 'Please correct the highlighted fields.';
  else if (typeof body.message === 'string') message = body.message;
  else if (Array.isArray(body.message)) message = body.message.join(' ');
  // The reason phrase is deprecated for HTTP/2, where it reads "OK"; the API speaks HTTP/1.1, so it still names the failure.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  else message = body.error ?? (err.statusText || `Request failed (${err.status}).`);
  return { status: err.status, message, fields };
}

/**
 * The API names the field first ("scheduledAt is in the past"); beside a labelled input the
 * label reads better ("Date and time is in the past").
 */
export function withFieldLabel(message: string, field: string, label: string): string {
  return message.startsWith(`${field} `) ? `${label}${message.slice(field.length)}` : message;
}

/**
 * The sentence above a form that shows the fields in `shown` beside their inputs: the messages of
 * any other field too (a bad cursor, say), so that "correct the highlighted fields" never points
 * at nothing.
 */
export function problemSummary(problem: ApiProblem, shown: readonly string[]): string {
  const names = Object.keys(problem.fields);
  const others = names.filter((name) => !shown.includes(name)).flatMap((name) => problem.fields[name]);
  if (others.length === 0) return problem.message;
  return others.length === names.flatMap((name) => problem.fields[name]).length ? others.join(' ') : `${problem.message} ${others.join(' ')}`;
}
