import { describe, expect, it } from 'vitest';
import { parseWalletLink } from './parse-link';
import { isWalletError } from './wallet-error';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return isWalletError(error) ? error.code : 'other';
  }
  return 'none';
};

describe('parseWalletLink', () => {
  it('reads offers by reference and by value', () => {
    const uri = 'http://127.0.0.1:8080/credential-offer/abcdefghijklmnop';
    expect(
      parseWalletLink(`openid-credential-offer://?credential_offer_uri=${encodeURIComponent(uri)}`),
    ).toEqual({
      kind: 'offer',
      offerUri: uri,
    });
    const offer = { credential_issuer: 'https://i.example' };
    expect(
      parseWalletLink(
        `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`,
      ),
    ).toEqual({
      kind: 'offer',
      offer,
    });
  });

  it('reads request links and the wallet page links that carry them', () => {
    const link = `openid4vp://?client_id=${encodeURIComponent('decentralized_identifier:did:jwk:e30')}&request_uri=${encodeURIComponent('https://v.example/openid4vp/request/x')}`;
    const expected = {
      kind: 'request',
      clientId: 'decentralized_identifier:did:jwk:e30',
      requestUri: 'https://v.example/openid4vp/request/x',
    };
    expect(parseWalletLink(link)).toEqual(expected);
    expect(parseWalletLink(`https://w.example/wallet?request=${encodeURIComponent(link)}`)).toEqual(expected);
  });

  it('refuses what is not a link, references that are not http(s), and requests by value', () => {
    expect(code(() => parseWalletLink('hello'))).toBe('LINK_INVALID');
    expect(
      code(() => parseWalletLink('openid-credential-offer://?credential_offer_uri=javascript:alert(1)')),
    ).toBe('LINK_INVALID');
    expect(code(() => parseWalletLink('openid4vp://?client_id=x&request=eyJ'))).toBe('REQUEST_UNSUPPORTED');
    expect(code(() => parseWalletLink(`https://w.example/?x=${'a'.repeat(9000)}`))).toBe('LINK_INVALID');
  });
});
