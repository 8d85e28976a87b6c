// A probe that waits longer than a monitor's own timeout says nothing; a dead server is "down" in 2 s.
export const PROBE_TIMEOUT_MS = 2000;

/** `work`, or a rejection naming `what` once `ms` have passed. */
export function withTimeout<T>(work: Promise<T>, what: string, ms = PROBE_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  // race() handles a late rejection of `work` too, so an abandoned probe cannot go unhandled.
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
