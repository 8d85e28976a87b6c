import { Pipe, type PipeTransform, inject } from '@angular/core';
import { USER_TIME_ZONE, formatInstant } from './time';

/** Formats an ISO instant in the user's time zone: `{{ call.scheduledAt | localTime }}`. */
@Pipe({ name: 'localTime' })
export class LocalTimePipe implements PipeTransform {
  private readonly zone = inject(USER_TIME_ZONE);

  transform(iso: string | null | undefined): string {
    return formatInstant(iso, this.zone);
  }
}
