import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, throwError } from 'rxjs';
import { AuthService } from './auth.service';

export const DASHBOARD_ACTOR = 'dashboard';

/**
 * Every API request: names the dashboard as the actor of the commands it sends (so the audit
 * trail says who acted), carries the API token when there is one, and asks for one on a 401.
 */
export const apiRequestInterceptor: HttpInterceptorFn = (req, next) => {
  if (!req.url.startsWith('/api/')) return next(req);
  const auth = inject(AuthService);
  const headers: Record<string, string> = {};
  if (req.method !== 'GET' && !req.headers.has('X-Actor')) headers['X-Actor'] = DASHBOARD_ACTOR;
  const token = auth.token();
  if (token && !req.headers.has('Authorization')) headers['Authorization'] = `Bearer ${token}`;
  return next(req.clone({ setHeaders: headers })).pipe(
    catchError((error: unknown) => {
      if (error instanceof HttpErrorResponse && error.status === 401) auth.markRequired();
      return throwError(() => error);
    }),
  );
};
