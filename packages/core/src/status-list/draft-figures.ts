/**
 * Figures the draft gives for Status List sizes, so a benchmark can print them beside ours.
 *
 * Source: draft-ietf-oauth-status-list, unnumbered appendix "Size comparison", table "Status
 * List size for varying sizes and revocation rates" (added in -10: "Add size comparison for status
 * list and compressed uuids"). Read from the working group's kramdown source
 * (github.com/oauth-wg/draft-ietf-oauth-status-list, draft-ietf-oauth-status-list.md, at the -14
 * stage); two stored copies of that source carry the identical table. The latest revision is -21
 * (21 June 2026), whose text was not available here: check the table there before quoting it
 * elsewhere. The appendix says what the figures measure:
 *
 *   "The following tables show a size comparison for a Status List (compressed byte array as
 *   defined in [](#status-list-byte-array) and a compressed Byte Array of UUIDs (as an
 *   approximation for a Certificate Revocation List). Readers must be aware that these are not
 *   sizes for complete Status List Tokens in JSON/CBOR nor Certificate Revocation Lists (CRLs), as
 *   they don't contain metadata, certificates and signatures."
 *
 * The rows, quoted exactly (columns: share of entries revoked; the lists are 1-bit):
 *
 *   | Size | 0.01%   | 0.1%     | 1%       | 2%       | 5%       | 10%      | 25%       | 50%      | 75%       | 100%    |
 *   | 100k | 81 B    | 252 B    | 1.4 KB   | 2.3 KB   | 4.5 KB   | 6.9 KB   | 10.2 KB   | 12.2 KB  | 10.2 KB   | 35 B    |
 *   | 1M   | 442 B   | 2.2 KB   | 13.7 KB  | 23.0 KB  | 43.9 KB  | 67.6 KB  | 102.2 KB  | 122.1 KB | 102.4 KB  | 144 B   |
 *   | 10M  | 3.8 KB  | 21.1 KB  | 135.4 KB | 230.0 KB | 437.0 KB | 672.9 KB | 1023.4 KB | 1.2 MB   | 1023.5 KB | 1.2 KB  |
 *   | 100M | 38.3 KB | 213.0 KB | 1.3 MB   | 2.2 MB   | 4.3 MB   | 6.6 MB   | 10.0 MB   | 11.9 MB  | 10.0 MB   | 11.9 KB |
 *
 * The draft does not say whether "KB" is 1000 or 1024 bytes (1.25 MB raw for 10M entries and
 * "1.2 MB" at 50% suggest 1024), nor which zlib implementation or revoked-index distribution it
 * used; compare orders of magnitude, not bytes.
 */
export const DRAFT_STATUS_LIST_SIZE_FIGURES = {
  source:
    'draft-ietf-oauth-status-list, appendix "Size comparison", table "Status List size for varying sizes and revocation rates"',
  /** Entries per list → revoked share → compressed size, as printed in the draft. */
  table: {
    100000: { 0.0001: '81 B', 0.001: '252 B', 0.01: '1.4 KB' },
    1000000: { 0.0001: '442 B', 0.001: '2.2 KB', 0.01: '13.7 KB' },
    10000000: { 0.0001: '3.8 KB', 0.001: '21.1 KB', 0.01: '135.4 KB' },
    100000000: { 0.0001: '38.3 KB', 0.001: '213.0 KB', 0.01: '1.3 MB' },
  },
  /** The headline the benchmark prints: 10 million entries, 1% revoked. */
  headline: { entries: 10_000_000, revokedShare: 0.01, compressed: '135.4 KB' },
} as const;
