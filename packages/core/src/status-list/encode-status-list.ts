import { zlibSync } from 'fflate';
import { base64urlEncode } from '../encoding/base64url.js';
import type { StatusBits, StatusList } from './status-list.js';

/** The JSON Status List of §4.2: the `status_list` claim of a Status List Token. */
export interface EncodedStatusList {
  bits: StatusBits;
  /** base64url (no padding) of the ZLIB (RFC 1950) DEFLATE (RFC 1951) compressed byte array. */
  lst: string;
  /** §4.2 and §9: where to find the Status List Aggregation; optional. */
  aggregation_uri?: string;
}

/**
 * Encodes a list per §4.1 step 4 and §4.2: ZLIB at the highest compression level, as the draft
 * recommends (fflate level 9 reproduces the draft's example `lst` values byte for byte).
 */
export function encodeStatusList(
  list: StatusList,
  options: { aggregationUri?: string } = {},
): EncodedStatusList {
  const encoded: EncodedStatusList = {
    bits: list.bits,
    lst: base64urlEncode(zlibSync(list.toBytes(), { level: 9 })),
  };
  if (options.aggregationUri !== undefined) {
    if (typeof options.aggregationUri !== 'string' || options.aggregationUri === '') {
      throw new TypeError('aggregationUri must be a non-empty string');
    }
    encoded.aggregation_uri = options.aggregationUri;
  }
  return encoded;
}
