import { type ApplicationConfig, inject, provideAppInitializer, provideBrowserGlobalErrorListeners, provideZonelessChangeDetection } from '@angular/core';
import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { routes } from './app.routes';
import { HealthService } from './health/health.service';
import { LiveService } from './live/live.service';
import { apiRequestInterceptor } from './shared/api-request.interceptor';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideHttpClient(withFetch(), withInterceptors([apiRequestInterceptor])),
    // Route params (`calls/:id`) and query params (`?status=`) arrive as component inputs.
    provideRouter(routes, withComponentInputBinding()),
    provideAppInitializer(() => {
      inject(LiveService).connect();
      inject(HealthService).start();
    }),
  ],
};
