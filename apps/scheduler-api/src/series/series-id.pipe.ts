import type { PipeTransform } from '@nestjs/common';
import { SeriesNotFoundError } from '#domain';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Series ids are UUIDs; anything else names no series (404, like an unknown id). */
export class SeriesIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw new SeriesNotFoundError(value.slice(0, 64));
    return value.toLowerCase();
  }
}
