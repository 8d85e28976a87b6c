import { createHash } from 'node:crypto';
import type { ScheduleCall } from '#domain';

/**
 * What an idempotency key is checked against: the same key with other values is a client bug,
 * not a repeat. One function for POST /api/calls (Idempotency-Key) and the bulk import (the
 * row's reference), so a reference used in both places means the same call.
 */
export function scheduleRequestHash(command: Pick<ScheduleCall, 'phoneNumber' | 'scheduledAt' | 'timezone' | 'deadline' | 'callingWindow'>): string {
  // The deadline and the window join the hash only when given, so keys recorded before them still match.
  const fields = [
    command.phoneNumber,
    command.scheduledAt ?? null,
    command.timezone ?? null,
    ...(command.deadline ? [command.deadline] : []),
    ...(command.callingWindow === undefined ? [] : [{ callingWindow: command.callingWindow }]),
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}
