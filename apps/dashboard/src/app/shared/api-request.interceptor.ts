import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, throwError } from 'rxjs';
import { AuthService } from './auth.service';

/**
 * Every API request carries the API key when there is one, and a 401 asks for one. No X-Actor:
 * the server records the key's name as the actor of every command (a header saying "dashboard"
 * would only be noted as "on behalf of").
 */
export const apiRequestInterceptor: HttpInterceptorFn = (req, next) => {
  if (!req.url.startsWith('/api/')) return next(req);
  const auth = inject(AuthService);
  const headers: Record<string, string> = {};
  const token = auth.token();
  if (token && !req.headers.has('Authorization')) headers['Authorization'] = `Bearer ${token}`;
  return next(req.clone({ setHeaders: headers })).pipe(
    catchError((error: unknown) => {
      if (error instanceof HttpErrorResponse && error.status === 401) auth.markRequired();
      return throwError(() => error);
    }),
  );
};
