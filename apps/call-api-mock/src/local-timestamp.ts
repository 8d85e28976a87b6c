// The real Call API is Flask: its timestamps are Python's `datetime.now().isoformat()`, i.e. local
// wall-clock time, no offset, microseconds. Time is carried as integer microseconds since the epoch.

/** Microseconds since the epoch, from a monotonic source so that later calls never get earlier stamps. */
export function nowMicros(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

/**
 * Formats like Python's `datetime.isoformat()` on a naive local datetime: `2025-11-01T14:00:00.123456`.
 * Like Python, the fraction is left out when it is exactly zero (one stamp in a million), so clients
 * that parse the real API must accept both shapes.
 */
export function formatLocalIso(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const d = new Date(ms);
  const fraction = micros - Math.floor(micros / 1_000_000) * 1_000_000;
  const base =
    `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1, 2)}-${pad(d.getDate(), 2)}` +
    `T${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)}`;
  return fraction === 0 ? base : `${base}.${pad(fraction, 6)}`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
