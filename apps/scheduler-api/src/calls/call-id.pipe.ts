import type { PipeTransform } from '@nestjs/common';
import { CallNotFoundError } from '#domain';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Call ids are UUIDs; anything else cannot name a call, so it is "not found" like any unknown id. */
export class CallIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw new CallNotFoundError(value.slice(0, 64));
    return value.toLowerCase();
  }
}
