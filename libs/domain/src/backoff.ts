/**
 * Exponential backoff with full jitter: a delay drawn from [base·2^(n-1) / 2, base·2^(n-1)],
 * capped. `random` is in [0, 1) and passed in so the rule stays pure and testable.
 */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
