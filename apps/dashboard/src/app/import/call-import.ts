import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { ImportMode, ImportResult } from '@call-scheduler/domain/import-result';
import { toApiProblem } from '../shared/api-error';
import { ImportService } from './import.service';
import { ColumnHeads } from '../shared/column-heads';

// Enough errors to fix a file by; the count says how many more there are.
const ERRORS_SHOWN = 100;

/** Import page: choose a CSV file, see a dry run (the first rows and every refused row), then confirm. */
@Component({
  selector: 'app-call-import',
  imports: [RouterLink, ColumnHeads],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './call-import.html',
})
export class CallImport {
  private readonly imports = inject(ImportService);
  protected readonly file = signal<File | null>(null);
  protected readonly mode = signal<ImportMode>('all-or-nothing');
  protected readonly preview = signal<ImportResult | null>(null);
  protected readonly done = signal<ImportResult | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly errorsShown = computed(() => (this.done() ?? this.preview())?.errors.slice(0, ERRORS_SHOWN) ?? []);
  protected readonly moreErrors = computed(() => Math.max(0, ((this.done() ?? this.preview())?.errors.length ?? 0) - ERRORS_SHOWN));
  /** All-or-nothing refuses a file with a bad row: confirming would write nothing. */
  protected readonly canConfirm = computed(() => {
    const preview = this.preview();
    return preview !== null && !this.done() && preview.created > 0 && (this.mode() === 'accept-valid' || preview.errors.length === 0);
  });

  /** "2027-04-02T13:15:00.000Z" → "2027-04-02 13:15 UTC": beside the callee's local time, the instant it stands for. */
  protected utc(iso: string): string {
    return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  }

  protected async onFile(event: Event): Promise<void> {
    this.file.set((event.target as HTMLInputElement).files?.[0] ?? null);
    await this.check();
  }

  protected async onMode(event: Event): Promise<void> {
    this.mode.set((event.target as HTMLInputElement).value as ImportMode);
    await this.check();
  }

  protected async confirm(): Promise<void> {
    const file = this.file();
    if (!file) return;
    await this.busyWith(async () => this.done.set(await this.imports.run(file, this.mode())));
  }

  protected reset(): void {
    this.file.set(null);
    this.preview.set(null);
    this.done.set(null);
    this.error.set(null);
  }

  /** A dry run of the chosen file in the chosen mode. */
  private async check(): Promise<void> {
    const file = this.file();
    this.preview.set(null);
    this.done.set(null);
    if (!file) return;
    await this.busyWith(async () => this.preview.set(await this.imports.preview(file, this.mode())));
  }

  private async busyWith(work: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await work();
    } catch (error) {
      this.error.set(toApiProblem(error).message);
    } finally {
      this.busy.set(false);
    }
  }
}
