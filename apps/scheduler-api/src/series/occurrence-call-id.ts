import { createHash } from 'node:crypto';

/**
 * The id of the call an occurrence becomes: a name-based UUID (version 8 layout) of the series id
 * and the occurrence's instant. Two instances, or a restart between creating the call and
 * recording it on the series, derive the same id, and the call's stream can be created only once.
 */
export function occurrenceCallId(seriesId: string, at: string): string {
  const hex = createHash('sha256')
    .update(`series:${seriesId}:${new Date(at).toISOString()}`)
    .digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
