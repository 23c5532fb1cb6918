import type { RandomSource } from '../ports.js';
import { base64urlEncode } from './base64url.js';

/**
 * A new record id: 128 random bits, base64url, never with a leading `-`. Operators type ids on a
 * command line (`trieste registry show <id>`, `trieste status set <list> <idx>`), where a leading
 * `-` reads as an option; such a draw (1 in 64) is taken again, which leaves 127.9 bits.
 */
export function randomId(random: RandomSource): string {
  for (;;) {
    const id = base64urlEncode(random.bytes(16));
    if (id[0] !== '-') return id;
  }
}
