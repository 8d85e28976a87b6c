import type { HttpInterceptorFn } from '@angular/common/http';

export const DASHBOARD_ACTOR = 'dashboard';

/** Names the dashboard as the actor of every command it sends, so the audit trail says who acted. */
export const actorInterceptor: HttpInterceptorFn = (req, next) =>
  req.url.startsWith('/api/') && req.method !== 'GET' && !req.headers.has('X-Actor')
    ? next(req.clone({ setHeaders: { 'X-Actor': DASHBOARD_ACTOR } }))
    : next(req);
