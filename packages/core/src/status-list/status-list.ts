// IETF Token Status List, draft-ietf-oauth-status-list. Latest revision: -21 (21 June 2026,
// approved, in the RFC Editor queue, per the IETF datatracker); JWT form only, no CWT. The text
// read while writing this folder is the working group's source at the -14 stage: section numbers
// cited here are that text's (§4.1 "Compressed Byte Array", §4.2 "Status List in JSON Format",
// §5.1 "Status List Token in JWT Format", §7 "Status Types", §8.3 "Validation Rules", §11
// "Security Considerations", §12 "Privacy Considerations", §13 "Implementation Considerations");
// the quoted section titles are the stable reference if -21 renumbered.
import { fail } from '../errors.js';
import type { StatusValue } from '../ports.js';

/** Bits per entry (§4.1 step 1): 1, 2, 4 or 8, so no status ever straddles two bytes. */
export type StatusBits = 1 | 2 | 4 | 8;

export function isStatusBits(value: unknown): value is StatusBits {
  return value === 1 || value === 2 || value === 4 || value === 8;
}

/**
 * Status Types (§7.1). 0x03 is reserved for application-specific use (as are 0x0C–0x0F); other
 * values are reserved for future registration. SUSPENDED leaks more than INVALID does (§12,
 * "Status Types" privacy consideration): use it only where a relying party must tell the two apart.
 */
export const STATUS = {
  VALID: 0x00,
  INVALID: 0x01,
  SUSPENDED: 0x02,
  APPLICATION_SPECIFIC: 0x03,
} as const;

/**
 * Largest list we build or decode: 2^31 entries. Indexing uses `>>>`, which is exact below 2^32,
 * and at 8 bits per entry the byte array stays below the engines' typed-array limit.
 */
export const MAX_STATUS_LIST_SIZE = 2 ** 31;

// log2(entries per byte) for each bit size.
const SHIFT: Record<StatusBits, number> = { 1: 3, 2: 2, 4: 1, 8: 0 };

/**
 * The Status List bit array (§4.1). Entry `i` occupies `bits` bits of byte `i * bits / 8`, packed
 * from the least significant bit: index 0 is in the lowest bits of byte 0. Getting this order
 * wrong reads another token's status (§11.1, "Correct decoding and parsing"), so the draft's own
 * vectors pin it in the tests.
 *
 * `get` and `set` are a shift, a mask and one byte access: a 10-million-entry list (1.25 MB at one
 * bit) answers in constant time.
 */
export class StatusList {
  readonly bits: StatusBits;
  /** Number of entries. A decoded list has `byteLength * 8 / bits` entries: padding included. */
  readonly size: number;
  #bytes: Uint8Array;
  readonly #shift: number;
  readonly #mask: number;

  /** A list of `size` entries, all VALID (0): the default value §13 ("Default Values and
   * Double Allocation") recommends. */
  constructor(size: number, bits: StatusBits = 1) {
    if (!isStatusBits(bits)) throw new TypeError('bits must be 1, 2, 4 or 8');
    if (!Number.isSafeInteger(size) || size < 1 || size > MAX_STATUS_LIST_SIZE) {
      throw new TypeError(`size must be an integer from 1 to ${MAX_STATUS_LIST_SIZE}`);
    }
    this.bits = bits;
    this.size = size;
    this.#shift = SHIFT[bits];
    this.#mask = (1 << bits) - 1;
    this.#bytes = new Uint8Array(Math.ceil((size * bits) / 8));
  }

  /** A list over a copy of `bytes` (the uncompressed byte array of §4.1). */
  static fromBytes(bytes: Uint8Array, bits: StatusBits): StatusList {
    if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
    if (!isStatusBits(bits)) throw new TypeError('bits must be 1, 2, 4 or 8');
    const list = new StatusList(bytes.length << SHIFT[bits], bits);
    list.#bytes.set(bytes);
    return list;
  }

  /** Length of the uncompressed byte array. */
  get byteLength(): number {
    return this.#bytes.length;
  }

  /**
   * The status at `index`. `index` usually comes from an untrusted credential, so anything that is
   * not an integer in [0, size) is a coded failure, never a read of some other byte (§8.3: "Fail
   * if the provided index is out of bounds").
   */
  get(index: number): StatusValue {
    if (!(Number.isInteger(index) && index >= 0 && index < this.size)) {
      throw fail('STATUS_INDEX_OUT_OF_RANGE', 'status index is not in the status list');
    }
    const shift = this.#shift;
    const offset = (index & ((1 << shift) - 1)) * this.bits;
    return (this.#bytes[index >>> shift]! >>> offset) & this.#mask;
  }

  /** Sets the status at `index`; a status that does not fit in `bits` is a caller's bug. */
  set(index: number, status: StatusValue): void {
    if (!(Number.isInteger(index) && index >= 0 && index < this.size)) {
      throw fail('STATUS_INDEX_OUT_OF_RANGE', 'status index is not in the status list');
    }
    const mask = this.#mask;
    if (!(Number.isInteger(status) && status >= 0 && status <= mask)) {
      throw new TypeError(`status must be an integer from 0 to ${mask} in a ${this.bits}-bit status list`);
    }
    const shift = this.#shift;
    const offset = (index & ((1 << shift) - 1)) * this.bits;
    const at = index >>> shift;
    this.#bytes[at] = (this.#bytes[at]! & ~(mask << offset)) | (status << offset);
  }

  /** A copy of the uncompressed byte array (§4.1 step 3). */
  toBytes(): Uint8Array {
    return this.#bytes.slice();
  }
}
