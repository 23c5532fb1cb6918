import { isJsonObject, type JsonObject, type JsonValue } from '../encoding/json.js';
import { fail } from '../errors.js';
import { type Disclosure, isDigest, setMember } from './disclosures.js';

/**
 * Rebuilds the claims from a payload and the disclosures that came with it (RFC 9901 §7.1 step 3),
 * in place: `payload` and the disclosure values are freshly parsed and owned by the caller, so no
 * copy is made. Refuses, with a code:
 * - the same disclosure twice, the same digest referenced twice anywhere, a disclosed name that
 *   already exists beside it (§7.1 3.c.ii.3): DISCLOSURE_DUPLICATE (a claim would be defined twice,
 *   or a presentation could replay one disclosure into two places);
 * - a digest that resolves to the wrong kind of disclosure (an object member referenced from an
 *   array element or the reverse, §7.1 3.c.ii.2 / 3.d.ii.2): DISCLOSURE_DIGEST_MISMATCH;
 * - a disclosure no digest references (§7.1 step 5), which is also how a modified disclosure shows
 *   (its digest is no longer in the payload): DISCLOSURE_UNREFERENCED;
 * - an `_sd` that is not an array of digests: MALFORMED.
 * Digests that match no disclosure are decoys or undisclosed claims and are dropped (§7.1 3.c.i).
 *
 * When `paths` is given, `paths[i]` receives the location of disclosure i in the rebuilt claims as
 * reference tokens (array indices count the rebuilt array): the holder selects disclosures by it.
 */
export function resolveDisclosures(
  payload: JsonObject,
  disclosures: readonly Disclosure[],
  paths?: string[][],
): JsonObject {
  const byDigest = new Map<string, number>();
  for (let i = 0; i < disclosures.length; i++) {
    const digest = disclosures[i]!.digest;
    if (byDigest.has(digest)) throw fail('DISCLOSURE_DUPLICATE', 'the same disclosure is presented twice');
    byDigest.set(digest, i);
  }
  const used = new Uint8Array(disclosures.length);
  const seen = new Set<string>();

  const lookup = (digest: unknown): number | undefined => {
    if (!isDigest(digest)) throw fail('MALFORMED', 'SD-JWT contains a digest that is not a SHA-256 digest');
    if (seen.has(digest)) throw fail('DISCLOSURE_DUPLICATE', 'SD-JWT references the same digest twice');
    seen.add(digest);
    const index = byDigest.get(digest);
    if (index !== undefined) used[index] = 1;
    return index;
  };

  const walk = (value: JsonValue, path: string[] | undefined): JsonValue => {
    if (Array.isArray(value)) {
      const out: JsonValue[] = [];
      for (const element of value) {
        if (isJsonObject(element) && Object.hasOwn(element, '...') && Object.keys(element).length === 1) {
          const index = lookup(element['...']);
          if (index === undefined) continue;
          const disclosure = disclosures[index]!;
          if (disclosure.name !== undefined) {
            throw fail(
              'DISCLOSURE_DIGEST_MISMATCH',
              'an array element references an object member disclosure',
            );
          }
          const childPath = path && [...path, String(out.length)];
          if (paths && childPath) paths[index] = childPath;
          out.push(walk(disclosure.value, childPath));
        } else {
          out.push(walk(element, path && [...path, String(out.length)]));
        }
      }
      return out;
    }
    if (!isJsonObject(value)) return value;
    const sd = value['_sd'];
    if (sd !== undefined) delete value['_sd'];
    for (const name of Object.keys(value)) {
      setMember(value, name, walk(value[name]!, path && [...path, name]));
    }
    if (sd === undefined) return value;
    if (!Array.isArray(sd)) throw fail('MALFORMED', 'SD-JWT has an _sd member that is not an array');
    for (const digest of sd) {
      const index = lookup(digest);
      if (index === undefined) continue;
      const disclosure = disclosures[index]!;
      const name = disclosure.name;
      if (name === undefined) {
        throw fail('DISCLOSURE_DIGEST_MISMATCH', 'an _sd digest references an array element disclosure');
      }
      if (Object.hasOwn(value, name)) {
        throw fail('DISCLOSURE_DUPLICATE', 'a disclosure would overwrite a claim that already exists');
      }
      const childPath = path && [...path, name];
      if (paths && childPath) paths[index] = childPath;
      setMember(value, name, walk(disclosure.value, childPath));
    }
    return value;
  };

  walk(payload, paths ? [] : undefined);
  if (used.indexOf(0) !== -1)
    throw fail('DISCLOSURE_UNREFERENCED', 'a disclosure is not referenced by the SD-JWT');
  return payload;
}
