import { ChangeDetectionStrategy, Component, type ElementRef, computed, inject, signal, viewChild } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { CallView } from '@call-scheduler/domain/call-view';
import { toApiProblem, withFieldLabel } from '../shared/api-error';
import { ChoiceRow, type Choice } from '../shared/choice-row';
import { LocalTimePipe } from '../shared/local-time.pipe';
import { allTimeZones, zonesForCountry } from '../shared/country-zones';
import { USER_TIME_ZONE, describeZone, formatInstant, instantToWallTime, wallTimeToIso } from '../shared/time';
import { checkPhone } from './phone-check';
import { ScheduleService } from './schedule.service';
import { FieldErrors } from '../shared/field-errors';

type When = 'later' | 'now';

const FIELD_LABELS: Record<string, string> = {
  phoneNumber: 'Phone number',
  scheduledAt: 'Date and time',
  timezone: "Callee's time zone",
  callingWindow: 'Calling window',
};

@Component({
  selector: 'app-schedule',
  imports: [RouterLink, LocalTimePipe, ChoiceRow, FieldErrors],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './schedule.html',
})
export class Schedule {
  private readonly service = inject(ScheduleService);
  protected readonly zone = inject(USER_TIME_ZONE);

  protected readonly phone = signal('');
  protected readonly phoneTouched = signal(false);
  protected readonly when = signal<When>('later');
  protected readonly whenChoices: readonly Choice<When>[] = [
    { value: 'later', label: 'At a date and time' },
    { value: 'now', label: 'Call now' },
  ];
  protected readonly date = signal('');
  protected readonly time = signal('');
  protected readonly submitting = signal(false);
  protected readonly attempted = signal(false);
  protected readonly serverFields = signal<Partial<Record<string, string[]>>>({});
  protected readonly formError = signal<string | null>(null);
  protected readonly scheduled = signal<CallView | null>(null);
  protected readonly scheduledNow = signal(false);
  protected readonly minDate = signal('');
  // The callee's zone as picked; until the user picks one it follows the number's country.
  protected readonly pickedZone = signal<string | null>(null);
  protected readonly callingWindow = signal('');
  protected readonly allZones = allTimeZones();

  private readonly phoneInput = viewChild<ElementRef<HTMLInputElement>>('phoneInput');
  private readonly dateInput = viewChild<ElementRef<HTMLInputElement>>('dateInput');

  protected readonly phoneCheck = computed(() => checkPhone(this.phone()));
  /** The zones of the number's country, suggested first in the picker. */
  protected readonly suggestedZones = computed(() => {
    const check = this.phoneCheck();
    return check.valid ? zonesForCountry(check.country) : [];
  });
  protected readonly country = computed(() => {
    const check = this.phoneCheck();
    return check.valid ? (check.country ?? null) : null;
  });
  /** The callee's zone: picked, else the operator's when the number's country has it, else the country's first. */
  protected readonly calleeZone = computed(() => {
    const suggested = this.suggestedZones();
    return this.pickedZone() ?? (suggested.length === 0 || suggested.includes(this.zone) ? this.zone : suggested[0]);
  });
  /** The typed wall time in the callee's zone, as the API reads it (no offset: the server resolves DST). */
  protected readonly localTime = computed(() => {
    if (this.when() === 'now' || !/^\d{4}-\d{2}-\d{2}$/.test(this.date()) || !/^\d{2}:\d{2}(:\d{2})?$/.test(this.time())) return null;
    return `${this.date()}T${this.time()}`;
  });
  /** The same instant, for the operator's eyes. */
  protected readonly scheduledAt = computed(() => (this.localTime() ? wallTimeToIso(this.date(), this.time(), this.calleeZone()) : null));
  protected readonly zoneLabel = computed(() => {
    const at = this.scheduledAt();
    return describeZone(this.calleeZone(), at ? new Date(at) : new Date());
  });
  protected readonly operatorEquivalent = computed(() => {
    const at = this.scheduledAt();
    return at && this.calleeZone() !== this.zone ? `${formatInstant(at, this.zone)} in your zone (${this.zone})` : null;
  });
  protected readonly windowErrors = computed(() => this.serverFields()['callingWindow'] ?? []);

  /** Messages beside the phone field: the API's, until the user edits; else the live check. */
  protected readonly phoneErrors = computed(() => {
    const server = this.serverFields()['phoneNumber'];
    if (server?.length) return server;
    const check = this.phoneCheck();
    const show = this.phone().trim() !== '' || this.phoneTouched() || this.attempted();
    return !check.valid && show ? [check.error] : [];
  });

  protected readonly whenErrors = computed(() => {
    const fields = this.serverFields();
    const server = [...(fields['scheduledAt'] ?? []), ...(fields['timezone'] ?? [])];
    if (server.length) return server;
    if (this.when() === 'later' && this.attempted() && !this.scheduledAt()) return ['Choose a date and a time.'];
    return [];
  });

  constructor() {
    this.resetWhen();
  }

  protected onPhone(event: Event): void {
    this.phone.set((event.target as HTMLInputElement).value);
    this.clearServerField('phoneNumber');
  }

  protected onDate(event: Event): void {
    this.date.set((event.target as HTMLInputElement).value);
    this.clearServerField('scheduledAt', 'timezone');
  }

  protected onTime(event: Event): void {
    this.time.set((event.target as HTMLInputElement).value);
    this.clearServerField('scheduledAt', 'timezone');
  }

  protected onZone(event: Event): void {
    this.pickedZone.set((event.target as HTMLSelectElement).value);
    this.clearServerField('scheduledAt', 'timezone');
  }

  protected onWindow(event: Event): void {
    this.callingWindow.set((event.target as HTMLInputElement).value);
    this.clearServerField('callingWindow');
  }

  protected setWhen(when: When): void {
    this.when.set(when);
    this.clearServerField('scheduledAt', 'timezone');
  }

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    if (this.submitting()) return;
    this.attempted.set(true);
    this.formError.set(null);
    const check = this.phoneCheck();
    if (!check.valid) {
      this.focus(this.phoneInput());
      return;
    }
    const scheduledAt = this.localTime();
    if (this.when() === 'later' && !scheduledAt) {
      this.focus(this.dateInput());
      return;
    }

    this.submitting.set(true);
    this.scheduled.set(null);
    try {
      const call = await this.service.schedule({
        phoneNumber: check.e164,
        ...(scheduledAt ? { scheduledAt } : {}),
        timezone: this.calleeZone(),
        ...(this.callingWindow().trim() ? { callingWindow: this.callingWindow().trim() } : {}),
      });
      this.scheduled.set(call);
      this.scheduledNow.set(!scheduledAt);
      this.phone.set('');
      this.phoneTouched.set(false);
      this.pickedZone.set(null);
      this.attempted.set(false);
      this.serverFields.set({});
    } catch (err) {
      const problem = toApiProblem(err);
      this.serverFields.set(
        Object.fromEntries(
          Object.entries(problem.fields).map(([field, messages]) => [field, messages.map((m) => withFieldLabel(m, field, FIELD_LABELS[field] ?? field))]),
        ),
      );
      this.formError.set(problem.message);
      if (Object.hasOwn(problem.fields, 'phoneNumber')) this.focus(this.phoneInput());
      else if (Object.hasOwn(problem.fields, 'scheduledAt') || Object.hasOwn(problem.fields, 'timezone')) this.focus(this.dateInput());
    } finally {
      this.submitting.set(false);
    }
  }

  protected scheduleAnother(): void {
    this.scheduled.set(null);
    this.resetWhen();
    this.focus(this.phoneInput());
  }

  private resetWhen(): void {
    // Default to five minutes from now, on the minute, in the user's zone.
    const soon = new Date(Math.ceil((Date.now() + 5 * 60_000) / 60_000) * 60_000);
    const wall = instantToWallTime(soon, this.zone);
    this.date.set(wall.date);
    this.time.set(wall.time);
    this.minDate.set(instantToWallTime(new Date(), this.zone).date);
  }

  private clearServerField(...names: string[]): void {
    const fields = this.serverFields();
    if (!names.some((n) => fields[n])) return;
    const next = Object.fromEntries(Object.entries(fields).filter(([name]) => !names.includes(name)));
    this.serverFields.set(next);
    if (Object.keys(next).length === 0) this.formError.set(null);
  }

  private focus(ref: ElementRef<HTMLElement> | undefined): void {
    ref?.nativeElement.focus();
  }
}
