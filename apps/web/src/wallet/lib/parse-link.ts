import { WalletError } from './wallet-error';

/** A credential offer (OpenID4VCI 1.0 §4.1): by reference, or by value. */
export type OfferLink = { kind: 'offer'; offerUri: string } | { kind: 'offer'; offer: unknown };

/** A presentation request by reference (OpenID4VP 1.0 §5.7, RFC 9101 §5.2). */
export interface RequestLink {
  kind: 'request';
  clientId: string;
  requestUri: string;
  /** `post` asks the wallet to POST for the request object (OpenID4VP 1.0 §5.10); we do GET only. */
  requestUriMethod?: string;
}

export type WalletLink = OfferLink | RequestLink;

/** Longest text read from a QR code or a paste: the longest QR code holds 7089 characters. */
const MAX_LINK_LENGTH = 8192;

/**
 * Reads a link the holder scanned, pasted or opened: `openid-credential-offer://?credential_offer_uri=…`
 * (or `credential_offer=`), `openid4vp://?client_id=…&request_uri=…`, the same parameters on any
 * other scheme or on an https URL (a same-device link through this wallet's page), and this
 * wallet's own `/wallet?offer=<link>` and `/wallet?request=<link>`. The text is untrusted: nothing
 * is fetched here, and only http(s) URLs are accepted as references.
 */
export function parseWalletLink(text: string): WalletLink {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_LINK_LENGTH)
    throw new WalletError('LINK_INVALID', 'the link is empty or too long');
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch (cause) {
    throw new WalletError('LINK_INVALID', 'the text is not a link', { cause });
  }
  const params = url.searchParams;
  const nested = params.get('offer') ?? params.get('request');
  const standalone =
    !params.has('credential_offer_uri') && !params.has('request_uri') && !params.has('client_id');
  if (nested !== null && standalone && /^[a-z][a-z0-9+.-]*:/i.test(nested)) {
    if (nested === trimmed) throw new WalletError('LINK_INVALID', 'the link nests itself');
    return parseWalletLink(nested);
  }
  const offerUri = params.get('credential_offer_uri');
  const offer = params.get('credential_offer');
  if (offerUri !== null || offer !== null) {
    if (offerUri !== null && offer !== null)
      throw new WalletError(
        'LINK_INVALID',
        'an offer link has both credential_offer and credential_offer_uri',
      );
    if (offerUri !== null) return { kind: 'offer', offerUri: referenceUrl(offerUri) };
    try {
      return { kind: 'offer', offer: JSON.parse(offer!) as unknown };
    } catch (cause) {
      throw new WalletError('LINK_INVALID', 'credential_offer is not JSON', { cause });
    }
  }
  const requestUri = params.get('request_uri');
  const clientId = params.get('client_id');
  if (requestUri !== null || clientId !== null) {
    if (params.has('request'))
      throw new WalletError('REQUEST_UNSUPPORTED', 'requests by value are not supported');
    if (requestUri === null || clientId === null || clientId === '')
      throw new WalletError('LINK_INVALID', 'a request link needs client_id and request_uri');
    const method = params.get('request_uri_method');
    return {
      kind: 'request',
      clientId,
      requestUri: referenceUrl(requestUri),
      ...(method === null ? {} : { requestUriMethod: method }),
    };
  }
  if (params.has('request') || params.has('dcql_query') || params.has('presentation_definition'))
    throw new WalletError('REQUEST_UNSUPPORTED', 'requests by value are not supported');
  throw new WalletError('LINK_INVALID', 'the link is neither a credential offer nor a presentation request');
}

function referenceUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw new WalletError('LINK_INVALID', 'the reference is not a URL', { cause });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new WalletError('LINK_INVALID', 'the reference is not an http(s) URL');
  return url.href;
}
