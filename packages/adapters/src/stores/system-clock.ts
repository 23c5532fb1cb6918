import type { Clock } from '@trieste/core';

/** The system clock as NumericDate seconds (fractional). The composition root may pass another. */
export const systemClock: Clock = { now: () => Date.now() / 1000 };
