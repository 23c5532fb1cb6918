import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { Stores } from '@trieste/core';
import { sha256 } from './secrets.js';

/** Wrong passwords tolerated on one offer before it is locked for good. */
export const MAX_LOGIN_ATTEMPTS = 5;

/** The parameters of a pending authorization request, posted back by the login form. */
export type AuthorizationParameters = Record<string, string>;

export type HolderAuthentication = { ok: true } | { ok: false; locked: boolean };

/**
 * How the issuer learns that the person at the browser is the holder an offer was prepared for
 * (OpenID4VCI 1.0 §5.1.3: the authorization server authenticates the End-User "in any way"). The
 * authorization endpoint calls it after checking the request, for the offer its `issuer_state`
 * names. Security contract:
 * - `authenticate` receives the holder's own input (attacker-controlled): it bounds it, compares
 *   secrets in constant time, counts failures so that guessing ends (it locks the offer), and puts
 *   no submitted value in a log line, an error message or its result.
 * - `loginPage` renders HTML: every value it shows or posts back is escaped; it holds no secret.
 * A production deployment replaces the demo below (e.g. with an eID or a national login).
 */
export interface HolderAuthenticator {
  loginPage(input: { action: string; parameters: AuthorizationParameters; failed?: boolean }): string;
  authenticate(input: {
    offerId: string;
    form: Record<string, string>;
    now: number;
  }): Promise<HolderAuthentication>;
}

// scrypt (RFC 7914) at N=2^14, r=8, p=1: about 16 MiB and tens of milliseconds per try.
const SCRYPT = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

function scryptHash(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, 32, SCRYPT, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** The stored form of a demo password: `scrypt$N$r$p$<salt>$<hash>`, salt and hash base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptHash(password, salt);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

// A hash that matches nothing, checked when there is no real one, so a miss costs the same time.
const DUMMY = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${'A'.repeat(22)}$${'A'.repeat(43)}`;

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt' || parts[1] !== String(SCRYPT.N)) return false;
  const expected = Buffer.from(parts[5]!, 'base64url');
  const actual = await scryptHash(password, Buffer.from(parts[4]!, 'base64url'));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The demo authenticator: the registrar sets a username and password on an offer with the
 * authorization code grant (stored as SHA-256 and scrypt); the holder types them into a plain HTML
 * form. Wrong passwords count towards the offer's lock, like wrong tx_codes.
 */
export function offerLoginAuthenticator(deps: { stores: Stores }): HolderAuthenticator {
  return {
    loginPage({ action, parameters, failed }) {
      const hidden = Object.entries(parameters)
        .map(
          ([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
        )
        .join('\n      ');
      return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Log in to receive your credential</title>
  <meta name="viewport" content="width=device-width, initial-scale=1"></head>
  <body>
    <h1>Log in to receive your credential</h1>
    ${failed ? '<p role="alert">The username or password is wrong.</p>' : ''}
    <form method="post" action="${escapeHtml(action)}">
      ${hidden}
      <label>Username <input name="username" autocomplete="username" required maxlength="200"></label>
      <label>Password <input name="password" type="password" autocomplete="current-password" required maxlength="256"></label>
      <button type="submit">Log in</button>
    </form>
  </body>
</html>
`;
    },
    async authenticate({ offerId, form }) {
      const username = form['username'] ?? '';
      const password = form['password'] ?? '';
      const offer = await deps.stores.credentialOffers.get(offerId);
      const login = offer?.login;
      const bounded = username.length <= 200 && password.length <= 256;
      // The password is checked even for a wrong username, so timing does not tell them apart.
      const passwordOk = await verifyPassword(bounded ? password : '', login?.passwordHash ?? DUMMY);
      const usernameOk =
        login !== undefined && timingSafeEqual(sha256(bounded ? username : ''), login.usernameHash);
      if (login && bounded && passwordOk && usernameOk) return { ok: true };
      const counted = await deps.stores.credentialOffers.recordFailedTxCode(offerId, MAX_LOGIN_ATTEMPTS);
      return { ok: false, locked: counted === undefined || counted.state === 'locked' };
    },
  };
}
