import { PayloadTooLargeException } from '@nestjs/common';
import type { Readable } from 'node:stream';

export const MAX_IMPORT_ROWS = 100_000;
// 100,000 rows of a phone number, a time, a zone, a window and a reference stay well under this.
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;

export function importTooLarge(what: string): PayloadTooLargeException {
  return new PayloadTooLargeException(`an import takes at most ${MAX_IMPORT_ROWS} rows and ${MAX_IMPORT_BYTES / 1024 / 1024} MiB: this one has ${what}`);
}

/**
 * The body's chunks, refused past MAX_IMPORT_BYTES. Read without destroying the request when
 * the reading stops early (a bad header, too many rows): the error answer still needs the socket.
 */
export async function* limitBytes(body: Readable): AsyncGenerator<Buffer> {
  let bytes = 0;
  for await (const chunk of body.iterator({ destroyOnReturn: false })) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    bytes += buffer.length;
    if (bytes > MAX_IMPORT_BYTES) throw importTooLarge('more bytes');
    yield buffer;
  }
}
