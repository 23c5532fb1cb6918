import { Writable } from 'node:stream';
import { issueCredential } from '@trieste/core';
import { describe, expect, it } from 'vitest';
import { bearer, testApp } from '../app.test-util.js';
import { createLogger } from './logger.js';

/** A pino destination that keeps every line. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

describe('the JSON logs', () => {
  it('carry requests and codes, never an API key, a token or a body', async () => {
    const { lines, stream } = capture();
    const t = await testApp({ logger: createLogger('trace', stream) });
    const { record } = await issueCredential({ vct: 'urn:x', claims: { given_name: 'Amina' } }, t.issuance);
    const list = record.statusListId;
    const token = (await t.app.inject({ method: 'GET', url: `/status/${list}` })).body;
    await t.app.inject({
      method: 'POST',
      url: '/admin/credentials/status?code=query-secret',
      headers: bearer(t.keys.registrar),
      payload: { list, index: record.statusIndex, status: 'suspended' },
    });
    await t.app.inject({ method: 'GET', url: '/admin/keys', headers: bearer(t.keys.registrar) });
    await t.app.inject({ method: 'GET', url: '/admin/keys', headers: bearer(`${t.keys.admin}tampered`) });
    await t.app.inject({
      method: 'POST',
      url: '/admin/credentials/status',
      headers: { ...bearer(t.keys.admin), 'content-type': 'application/json' },
      payload: '{"list": "body-secret", ',
    });
    await t.app.close();

    const text = lines.join('\n');
    expect(lines.length).toBeGreaterThan(8);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    for (const key of Object.values(t.keys)) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(key.split('.')[2]);
    }
    expect(text).not.toContain(token.split('.')[1]!.slice(0, 40));
    expect(text).not.toContain('Bearer');
    expect(text).not.toContain('query-secret');
    expect(text).not.toContain('body-secret');
    expect(text).not.toContain('Amina');
    // What operators do get: the path, the outcome and the code.
    expect(text).toContain('"path":"/admin/credentials/status"');
    expect(text).toContain('"code":"FORBIDDEN"');
    expect(text).toContain('credential status changed');
  });

  it('censor secrets a future log call might pass by mistake', () => {
    const { lines, stream } = capture();
    const logger = createLogger('info', stream);
    logger.info({ token: 'eyJ.secret', req: { headers: { authorization: 'Bearer trieste.x.y' } } }, 'oops');
    logger.info({ nested: { key: 'trieste.a.b', credential: 'ey.sd~' } }, 'oops');
    expect(lines.join('\n')).not.toMatch(/eyJ\.secret|trieste\.x\.y|trieste\.a\.b|ey\.sd~/);
  });
});
