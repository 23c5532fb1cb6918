/**
 * RFC 9110 §13.1: If-None-Match decides when present (any listed tag equal to ours, weak
 * comparison, or `*`); otherwise If-Modified-Since, at one-second precision.
 */
export function isNotModified(
  headers: Record<string, string | string[] | undefined>,
  etag: string,
  issuedAt: number,
): boolean {
  const ifNoneMatch = headers['if-none-match'];
  if (typeof ifNoneMatch === 'string') {
    return ifNoneMatch
      .split(',')
      .map((tag) => tag.trim().replace(/^W\//, ''))
      .some((tag) => tag === etag || tag === '*');
  }
  const ifModifiedSince = headers['if-modified-since'];
  if (typeof ifModifiedSince !== 'string') return false;
  const since = Date.parse(ifModifiedSince);
  return Number.isFinite(since) && Math.floor(issuedAt) <= Math.floor(since / 1000);
}
