/**
 * Seconds to wait after failed attempt number `attempt` (1-based): exponential backoff from
 * `firstDelaySeconds`, doubling per attempt, with ±25 % jitter from `random` (in [0, 1)) so that
 * deliveries failing together (a relying party's outage) do not all come back in the same second.
 * With 30 s and 8 attempts the seven waits are about 30 s … 32 min, 63 min in all.
 */
export function webhookRetryDelay(attempt: number, firstDelaySeconds: number, random: number): number {
  if (!Number.isSafeInteger(attempt) || attempt < 1)
    throw new TypeError('attempt must be a positive integer');
  if (!(random >= 0 && random < 1)) throw new TypeError('random must be in [0, 1)');
  const base = firstDelaySeconds * 2 ** Math.min(attempt - 1, 20);
  return base * (0.75 + 0.5 * random);
}
