import { HttpClient } from '@angular/common/http';
import { Injectable, inject, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { toApiProblem, type ApiProblem } from '../shared/api-error';

export type Role = 'viewer' | 'operator' | 'admin';
export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];

export interface ApiKey {
  name: string;
  role: Role;
  createdAt: string;
  revokedAt: string | null;
}

export interface IssuedKey extends Omit<ApiKey, 'revokedAt'> {
  key: string;
}

/** GET/POST /api/keys and DELETE /api/keys/:name (admins only; others get 403). */
@Injectable({ providedIn: 'root' })
export class KeysService {
  private readonly http = inject(HttpClient);
  private readonly keysSignal = signal<ApiKey[]>([]);
  private readonly problemSignal = signal<ApiProblem | null>(null);
  readonly keys = this.keysSignal.asReadonly();
  /** Why the list could not be loaded (a 403 for non-admins). */
  readonly problem = this.problemSignal.asReadonly();

  async load(): Promise<void> {
    try {
      this.keysSignal.set(await firstValueFrom(this.http.get<ApiKey[]>('/api/keys')));
      this.problemSignal.set(null);
    } catch (error) {
      this.problemSignal.set(toApiProblem(error));
    }
  }

  /** The new key (shown once), or the problem. */
  async create(name: string, role: Role): Promise<IssuedKey | ApiProblem> {
    try {
      const issued = await firstValueFrom(this.http.post<IssuedKey>('/api/keys', { name, role }));
      await this.load();
      return issued;
    } catch (error) {
      return toApiProblem(error);
    }
  }

  async revoke(name: string): Promise<ApiProblem | null> {
    try {
      await firstValueFrom(this.http.delete(`/api/keys/${encodeURIComponent(name)}`));
      await this.load();
      return null;
    } catch (error) {
      return toApiProblem(error);
    }
  }
}
