import { Injectable, signal } from '@angular/core';

const STORAGE_KEY = 'call-scheduler.api-token';

/**
 * The API token, for deployments that set AUTH_TOKEN. Kept for the browser session only; the
 * shell asks for it when the API answers 401.
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly tokenSignal = signal<string | null>(read());
  private readonly requiredSignal = signal(false);
  readonly token = this.tokenSignal.asReadonly();
  /** True once the API refused a request for want of a (valid) token. */
  readonly required = this.requiredSignal.asReadonly();

  setToken(token: string): void {
    const value = token.trim() || null;
    this.tokenSignal.set(value);
    this.requiredSignal.set(false);
    try {
      if (value) sessionStorage.setItem(STORAGE_KEY, value);
      else sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // storage may be disabled; the token then lasts until the page reloads
    }
  }

  markRequired(): void {
    this.requiredSignal.set(true);
  }
}

function read(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}
