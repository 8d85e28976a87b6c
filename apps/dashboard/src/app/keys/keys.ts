import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import type { ApiProblem } from '../shared/api-error';
import { ConfirmButton } from '../shared/confirm-button';
import { LocalTimePipe } from '../shared/local-time.pipe';
import { KeysService, ROLES, type IssuedKey, type Role } from './keys.service';
import { DataTable } from '../shared/data-table';

/** Admins: who holds a key, issue one (shown once), revoke one. */
@Component({
  selector: 'app-keys',
  imports: [ConfirmButton, LocalTimePipe, DataTable],
  templateUrl: './keys.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Keys {
  protected readonly service = inject(KeysService);
  protected readonly roles = ROLES;
  protected readonly issued = signal<IssuedKey | null>(null);
  protected readonly formProblem = signal<ApiProblem | null>(null);
  protected readonly revokeProblem = signal<string | null>(null);
  protected readonly busy = signal(false);

  constructor() {
    void this.service.load();
  }

  protected async create(event: Event, name: string, role: string): Promise<void> {
    event.preventDefault();
    this.busy.set(true);
    this.issued.set(null);
    const result = await this.service.create(name.trim(), role as Role);
    this.busy.set(false);
    if ('key' in result) {
      this.issued.set(result);
      this.formProblem.set(null);
      (event.target as HTMLFormElement).reset();
    } else {
      this.formProblem.set(result);
    }
  }

  protected async revoke(name: string): Promise<void> {
    const problem = await this.service.revoke(name);
    this.revokeProblem.set(problem?.message ?? null);
  }
}
