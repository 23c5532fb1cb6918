import { base64urlEncode } from '../encoding/base64url.js';
import { encodeJsonPart } from '../encoding/json.js';
import { utf8Encode } from '../encoding/utf8.js';
import type { Signer } from '../ports.js';

export interface JwsHeaderInput {
  typ?: string;
  [member: string]: unknown;
}

/**
 * RFC 7515 compact serialisation. The protected header always names the signer's `alg` and `kid`
 * (set last, so a caller cannot override them); the payload is JSON.
 */
export async function signCompactJws(
  header: JwsHeaderInput,
  payload: unknown,
  signer: Signer,
  options: { includeKid?: boolean } = {},
): Promise<string> {
  const protectedHeader: Record<string, unknown> = { ...header, alg: signer.alg };
  if (options.includeKid !== false) protectedHeader['kid'] = signer.kid;
  else delete protectedHeader['kid'];
  const signingInput = `${encodeJsonPart(protectedHeader)}.${encodeJsonPart(payload)}`;
  const signature = await signer.sign(utf8Encode(signingInput));
  return `${signingInput}.${base64urlEncode(signature)}`;
}
