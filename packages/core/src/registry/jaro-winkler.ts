/**
 * Jaro similarity (M. A. Jaro, 1989): characters match when equal and no further apart than
 * half the longer length minus one; `t` is half the matched characters that are out of order.
 * jaro = (m/|a| + m/|b| + (m - t)/m) / 3, and 0 when nothing matches.
 */
let flagsA = new Uint8Array(64);
let flagsB = new Uint8Array(64);

export function jaro(a: string, b: string): number {
  if (a === b) return 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  // Scratch flags, reused: a bulk import compares names millions of times, and two fresh arrays a
  // comparison were a twentieth of all it allocated.
  if (la > flagsA.length) flagsA = new Uint8Array(la * 2);
  if (lb > flagsB.length) flagsB = new Uint8Array(lb * 2);
  const matchedA = flagsA;
  const matchedB = flagsB;
  matchedA.fill(0, 0, la);
  matchedB.fill(0, 0, lb);
  let m = 0;
  for (let i = 0; i < la; i++) {
    const start = Math.max(0, i - window);
    const end = Math.min(lb - 1, i + window);
    const code = a.charCodeAt(i);
    for (let j = start; j <= end; j++) {
      if (matchedB[j] === 0 && b.charCodeAt(j) === code) {
        matchedA[i] = 1;
        matchedB[j] = 1;
        m++;
        break;
      }
    }
  }
  if (m === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (matchedA[i] === 0) continue;
    while (matchedB[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  const t = transpositions / 2;
  return (m / la + m / lb + (m - t) / m) / 3;
}

/**
 * Jaro-Winkler similarity (W. E. Winkler, 1990): Jaro raised for a common prefix of up to four
 * characters, by `prefixScale` (0.1) per character, when Jaro is above `boostThreshold` (0.7), as
 * in Winkler's original. MARTHA/MARHTA 0.961, DWAYNE/DUANE 0.840, DIXON/DICKSONX 0.813.
 */
export function jaroWinkler(
  a: string,
  b: string,
  options: { prefixScale?: number; boostThreshold?: number } = {},
): number {
  const j = jaro(a, b);
  if (j <= (options.boostThreshold ?? 0.7)) return j;
  const max = Math.min(4, a.length, b.length);
  let prefix = 0;
  while (prefix < max && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  return j + prefix * (options.prefixScale ?? 0.1) * (1 - j);
}
