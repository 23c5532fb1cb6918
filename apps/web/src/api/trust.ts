import { apiJson, apiText } from './http';

/** GET /trust/operator-keys (apps/server/src/trust/trust-routes.ts). */
export interface OperatorKeys {
  jurisdiction: string;
  keys: Array<{
    kid: string;
    alg: string;
    state: 'pending' | 'active' | 'retired';
    created_at: string;
    retired_at?: string;
    public_jwk: { kty: string; crv: string; x: string; y?: string };
  }>;
}

export const readOperatorKeys = () => apiJson<OperatorKeys>('/trust/operator-keys');

/** The current trust list of this jurisdiction: a compact JWS (trieste-trust-list+jwt). */
export const readTrustList = () => apiText('/trust/list', {}, 'application/trust-list+jwt, */*');
