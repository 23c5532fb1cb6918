import { describe, expect, it } from 'vitest';
import { refusalReason } from './answer-request';

describe('refusalReason', () => {
  it('keeps the most specific code of an OpenID4VP error answer', () => {
    const body = JSON.stringify({
      error: 'invalid_request',
      error_description: 'the presentation was refused: STATUS_REVOKED (PRESENTATION_INVALID)',
    });
    expect(refusalReason(body)).toBe('STATUS_REVOKED');
    expect(
      refusalReason(
        JSON.stringify({ error_description: 'this request was answered already (REQUEST_ANSWERED)' }),
      ),
    ).toBe('REQUEST_ANSWERED');
  });

  it('gives nothing for an answer without a code', () => {
    expect(refusalReason('<html>')).toBeUndefined();
    expect(refusalReason(JSON.stringify({ error: 'server_error' }))).toBeUndefined();
    expect(refusalReason(JSON.stringify({ error_description: 'no code here' }))).toBeUndefined();
  });
});
